"""The JSON mapping form (for experts) checks everything at once too: every problem is shown
beside the JSON, none as a Python repr, and nothing is saved."""

from __future__ import annotations

import json
from typing import Any

from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from justicework.dataio.models import Mapping


def test_the_json_form_lists_every_problem_of_the_mapping(client: Client, cast: Any) -> None:
    Authenticator.objects.get_or_create(
        user=cast.documenter, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    client.force_login(cast.documenter)
    spec = {
        "fields": {
            "incident_ref": "Case",
            "type": {"source": "Act", "values": {"x": "kiling"}},
            "place_name": {"template": "{City"},
            "latitude": "Lat",
            "colour": "C",
        },
        "delimiter": "::",
    }
    response = client.post(
        reverse("dataio:mapping_new", args=["violations"]),
        {"name": "Expert", "file_format": "csv", "spec": json.dumps(spec)},
    )
    assert response.status_code == 422
    errors = response.context["form"].errors["spec"]
    text = "\n".join(errors)
    assert "“colour” is not a field of this import" in text
    assert "“place_name”: the template '{City' is not valid" in text
    assert "required field(s): incident_title" in text
    assert "“delimiter” must be one character" in text
    assert "'kiling' is not a known type of act term. Did you mean: killing" in text
    assert "“latitude” is mapped but “country” is not" in text
    assert len(errors) == 6
    assert "{&#x27;spec&#x27;" not in response.content.decode()
    assert not Mapping.objects.exists()
