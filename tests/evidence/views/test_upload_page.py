"""The upload page: who may open it, and that it uses the vendored client only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import justicework.evidence

VENDOR = Path(justicework.evidence.__file__).parent / "static/evidence/vendor/tus-js-client"


def test_a_documenter_gets_the_form_with_the_vendored_client(documenter, login):
    response = login(documenter).get(reverse("evidence:upload"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-endpoint="/api/v1/evidence/uploads/"' in page
    assert "evidence/vendor/tus-js-client/tus.min.js" in page
    assert "Collection record" in page and 'name="sha256"' in page
    assert not re.search(r'<script[^>]+src="(https?:)?//', page)  # nothing from a CDN
    assert 'data-csrf="' in page


@pytest.mark.parametrize(
    "who", ["viewer", "analyst", "officer", "reviewer", "coordinator", "loner"]
)
def test_who_may_not_upload_cannot_open_the_page(cast, login, who):
    assert login(getattr(cast, who)).get(reverse("evidence:upload")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("evidence:upload")).status_code == 302


def test_the_vendored_client_has_its_licence_and_version():
    assert (VENDOR / "LICENSE").read_text().startswith("The MIT License")
    version = (VENDOR / "VERSION").read_text()
    assert "tus-js-client 4.3.1" in version and "sha256" in version


def test_the_form_asks_for_every_declared_field_with_the_schema_bounds(documenter, login):
    from justicework.evidence import schemas

    page = login(documenter).get(reverse("evidence:upload")).content.decode()
    for field in schemas.FIELDS:
        if field.key == "filename":
            continue  # the file's own name
        assert f'name="{field.key}"' in page, field.key
        if field.key in {"collector", "tool", "method", "source_url"}:
            assert re.search(rf'name="{field.key}"[^>]*maxlength="{field.limit}"', page), field.key
