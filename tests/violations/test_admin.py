"""The violations admin: superusers only, read-only, no person data (persons and the records
linking one are not registered: tests/survivors/test_admin_person_data.py)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from justicework.violations import actions

from .conftest import make_unit

pytestmark = pytest.mark.django_db

MODELS = ["incident", "violation", "unit", "victimgroup", "location", "incidentrelation"]
PERSON_MODELS = ["person", "source", "personrole", "perpetration", "unitcommander"]


def signed_in(user) -> Client:
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(user)
    return client


def test_superuser_reads_every_model_without_identities(cast, violation, person):
    unit = make_unit(cast.acme)
    actions.add_perpetration(None, violation, unit=unit, involvement="direct")
    client = signed_in(cast.superuser)
    for model in MODELS:
        page = client.get(f"/admin/violations/{model}/")
        assert page.status_code == 200, model
        assert "Коваленко".encode() not in page.content
        assert person.code.encode() not in page.content


def test_superuser_cannot_reach_persons_or_their_links_in_the_admin(cast, person):
    client = signed_in(cast.superuser)
    for model in PERSON_MODELS:
        assert client.get(f"/admin/violations/{model}/").status_code == 404, model
    page = client.get(f"/admin/violations/person/{person.pk}/change/")
    assert page.status_code == 404
    assert person.code.encode() not in page.content
    assert client.get(f"/admin/violations/person/?q={person.code.lower()}").status_code == 404


def test_admin_is_read_only(cast, incident):
    client = signed_in(cast.superuser)
    assert client.get("/admin/violations/incident/add/").status_code == 403
    assert client.get(f"/admin/violations/incident/{incident.pk}/delete/").status_code == 403


def test_organisation_admin_cannot_use_the_admin(cast, incident):
    cast.admin.is_staff = True
    cast.admin.save(update_fields=["is_staff"])
    response = signed_in(cast.admin).get("/admin/violations/incident/")
    assert response.status_code in {302, 403}
    assert incident.title.encode() not in response.content
