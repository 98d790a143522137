"""The Django admin: superusers only, read-only, login through allauth."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(user)
    return client


def test_superuser_reads_core_records_in_the_admin(cast):
    client = signed_in(cast.superuser)
    assert client.get("/admin/").status_code == 200
    for model in ["organisation", "user", "membership", "accessgrant", "apitoken"]:
        assert client.get(f"/admin/core/{model}/").status_code == 200, model
    page = client.get(f"/admin/core/organisation/{cast.acme.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # read-only: no save button


def test_superuser_cannot_add_or_delete_in_the_admin(cast):
    client = signed_in(cast.superuser)
    assert client.get("/admin/core/organisation/add/").status_code == 403
    assert client.get(f"/admin/core/organisation/{cast.acme.pk}/delete/").status_code == 403


def test_organisation_admin_is_refused_by_the_admin_site(cast):
    cast.admin.is_staff = True  # even staff status is not enough
    cast.admin.save(update_fields=["is_staff"])
    client = signed_in(cast.admin)
    assert client.get("/admin/").status_code == 302  # Django would show staff the index
    response = client.get("/admin/core/organisation/")
    assert response.status_code in {302, 403}
    assert b"Acme Rights Watch" not in response.content


def test_admin_login_goes_through_allauth(cast):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
