"""The mapping builder offers the new importer fields: a victim's status and the place's
precision with their allowed values and suggestions, subdivision, ethnicity, gender identity and
the incident's external reference as columns; saved like any other field."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from justicework.dataio import actions
from justicework.dataio.models import ImportRun, Mapping

from .test_mapping_builder import login

HEADER = ["Case", "Headline", "Act", "Region", "Status", "Precision", "Ethnicity", "Ref", "VId"]
ROWS = [
    ["C1", "Raid on a village", "Killing", "UA-63", "Deceased", "exact", "Roma", "K-1", "V-1"],
    [
        "C2",
        "Shot at the market",
        "killing",
        "UA-65",
        "decesed",
        "Town or village",
        "",
        "K-2",
        "V-1",
    ],
]


@pytest.fixture
def run(cast: Any) -> ImportRun:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *ROWS])
    return actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="list.csv",
        chunks=[buffer.getvalue().encode()],
    )  # fmt: skip


def picks() -> dict[str, str]:
    return {
        "name": "Killings with places",
        "incident_ref__column": "Case",
        "incident_title__column": "Headline",
        "type__column": "Act",
        "country__value": "UA",
        "subdivision__column": "Region",
        "victim_status__column": "Status",
        "location_precision__column": "Precision",
        "victim_ethnicity__column": "Ethnicity",
        "incident_external_ref__column": "Ref",
        "victim_ref__column": "VId",
        "key": "Case",
    }


def test_the_builder_lists_the_new_fields_and_proposes_their_values(
    client: Client, cast: Any, run: ImportRun
) -> None:
    url = reverse("dataio:run_builder", args=[run.pk])
    page = login(client, cast.documenter).get(url).content.decode()
    for label in ("Subdivision (ISO 3166-2 code, e.g. UA-14)", "Status of a new victim",
                  "Precision of the place", "Victim ethnicity (encrypted)",
                  "External reference of the incident",
                  "Victim (the source&#x27;s own id"):  # fmt: skip
        assert label in page
    response = client.post(url, {**picks(), "refresh": "1"})
    text = response.content.decode()
    assert "Recognised: Deceased" in text
    assert "Recognised: Town or village" in text
    recodings = {
        r.value: r for row in response.context["rows"] if row.name == "victim_status"
        for r in row.recodings
    }  # fmt: skip
    assert recodings["decesed"].suggestions[0] == "deceased"


def test_the_builder_saves_the_new_fields(client: Client, cast: Any, run: ImportRun) -> None:
    url = reverse("dataio:run_builder", args=[run.pk])
    response = login(client, cast.documenter).post(url, {**picks(), "save": "1"})
    assert response.status_code == 302
    fields = Mapping.objects.get().spec["fields"]
    assert fields["subdivision"] == "Region"
    assert fields["incident_external_ref"] == "Ref"
    assert fields["victim_ref"] == "VId"
    assert fields["victim_ethnicity"] == "Ethnicity"
