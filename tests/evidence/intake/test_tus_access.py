"""Who may speak tus to the vault: allow and deny for every method."""

from __future__ import annotations

import pytest
from django.test import Client

from justicework.evidence.models import Item, Upload

from ..conftest import ENDPOINT, TUS, Tus, metadata_header, upload_of


@pytest.fixture
def started(documenter, login):
    """An upload of acme's documenter, 3 of 10 bytes in."""
    speaker = Tus(login(documenter))
    location = speaker.create(10)["Location"]
    speaker.patch(location, 0, b"abc")
    return location


def test_anonymous_callers_are_refused_every_method(client, started):
    speaker = Tus(client)
    assert speaker.create(10).status_code == 401
    assert speaker.head(started).status_code == 401
    assert speaker.patch(started, 3, b"d").status_code == 401
    assert speaker.delete(started).status_code == 401
    assert upload_of(started).offset == 3


@pytest.mark.parametrize("who", ["viewer", "analyst", "reviewer", "officer", "coordinator"])
def test_roles_that_do_not_create_records_cannot_upload(cast, login, who):
    response = Tus(login(getattr(cast, who))).create(10)
    assert response.status_code == 403
    assert not Upload.objects.exists()


def test_a_user_without_membership_cannot_upload(loner, login):
    response = Tus(login(loner)).create(10)
    assert response.status_code == 400  # no organisation to upload to
    assert "organisation" in response.content.decode()
    assert not Upload.objects.exists()


def test_the_admin_may_upload(admin, login):
    assert Tus(login(admin)).create(10).status_code == 201


@pytest.mark.parametrize("who", ["outsider", "beacon_admin", "admin", "viewer"])
def test_nobody_but_the_uploader_may_continue_an_upload(cast, login, started, who):
    """Another organisation's people and acme's own admin alike: 404, nothing changes."""
    speaker = Tus(login(getattr(cast, who)))
    assert speaker.head(started).status_code == 404
    assert speaker.patch(started, 3, b"d").status_code == 404
    assert speaker.delete(started).status_code == 404
    assert upload_of(started).offset == 3 and upload_of(started).status == Upload.Status.RECEIVING


def test_an_upload_that_does_not_exist_is_404_too(documenter, login):
    ghost = "/api/v1/evidence/uploads/00000000-0000-0000-0000-000000000000"
    assert Tus(login(documenter)).head(ghost).status_code == 404


def test_uploading_into_another_organisation_is_404(documenter, beacon, login):
    response = login(documenter).post(
        ENDPOINT,
        headers={**TUS, "Upload-Length": "5",
                 "Upload-Metadata": metadata_header({"organisation": str(beacon.pk)})},
    )  # fmt: skip
    assert response.status_code == 404
    assert not Upload.objects.exists()


def test_a_write_token_uploads_and_a_read_token_cannot(documenter, bearer):
    done = Tus(bearer(documenter, "write")).send(b"token bytes", filename="t.txt")
    assert Item.objects.get().original.sha256 == done["Evidence-Sha256"]
    refused = Tus(bearer(documenter, "read")).create(5)
    assert refused.status_code == 403 and "read-only" in refused.content.decode()


def test_a_wrong_token_is_401(db):
    speaker = Tus(Client(headers={"Authorization": "Bearer jw_not_a_token"}))
    assert speaker.create(5).status_code == 401


def test_the_session_needs_the_csrf_header(documenter):
    from ..conftest import give_mfa

    give_mfa(documenter)
    client = Client(enforce_csrf_checks=True)
    client.force_login(documenter)
    response = Tus(client).create(5)
    assert response.status_code == 403 and "CSRF" in response.content.decode()
    assert not Upload.objects.exists()


def test_a_session_without_second_factor_is_refused(documenter):
    client = Client()
    client.force_login(documenter)  # documenters must use MFA; none set up
    response = Tus(client).create(5)
    assert response.status_code == 403 and "two-factor" in response.content.decode()
