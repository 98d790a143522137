"""A hand-over to an outside body: a Transfer and custody entry "transferred" with its fields;
bad input names the field and writes nothing; only those who vouch for the evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from justicework.evidence import actions
from justicework.evidence.models import CustodyEntry, Transfer

from ..removal.helpers import removed_item
from .conftest import events

GOOD = {
    "recipient_name": "Registry officer M. Dupont",
    "institution": "International Criminal Court, Registry",
    "method": "in_person",
    "recipient_reference": "ICC-OTP-2026-0042",
    "handed_over_at": "2026-01-15T10:30:00+01:00",
    "note": "Encrypted USB drive, seal no. 7781",
}


def test_the_web_form_records_the_hand_over_in_the_chain(analyst, login, acme_item):
    response = login(analyst).post(reverse("evidence:transfer_create", args=[acme_item.pk]), GOOD)
    assert response.status_code == 302
    transfer = Transfer.objects.get(item=acme_item)
    assert transfer.handed_over_at == dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.UTC)
    # the custody entry keeps the time as given, with its offset
    entry = CustodyEntry.objects.get(item=acme_item, event="transferred")
    assert entry.detail == {
        **GOOD, "transfer": transfer.pk, "sha256": acme_item.original.sha256,
    }  # fmt: skip
    page = login(analyst).get(reverse("evidence:item_detail", args=[acme_item.pk])).content
    assert "ICC-OTP-2026-0042" in page.decode()


def test_the_api_records_the_hand_over(admin, bearer, acme_item):
    response = bearer(admin).post(
        f"/api/v1/evidence/items/{acme_item.pk}/transfers", GOOD, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["institution"] == GOOD["institution"]
    assert events(acme_item)[-1] == "transferred"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"recipient_name": "  "}, "recipient_name", "required"),
        ({"institution": ""}, "institution", "required"),
        ({"method": "carrier pigeon"}, "method", "Choose one of"),
        ({"handed_over_at": "2099-01-01T00:00:00+00:00"}, "handed_over_at", "in the future"),
        ({"handed_over_at": "2026-01-15T10:30:00"}, "handed_over_at", "offset"),
        ({"handed_over_at": "last Tuesday"}, "handed_over_at", "ISO 8601"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(analyst, acme_item, change, field, words):
    before = events(acme_item)
    with pytest.raises(ValidationError) as caught:
        actions.record_transfer(analyst, acme_item, {**GOOD, **change})
    assert field in caught.value.message_dict
    assert words in " ".join(caught.value.message_dict[field])
    assert not Transfer.objects.exists() and events(acme_item) == before


def test_the_web_form_shows_the_error_and_writes_nothing(analyst, login, acme_item):
    future = (timezone.now() + dt.timedelta(days=2)).isoformat()
    response = login(analyst).post(
        reverse("evidence:transfer_create", args=[acme_item.pk]), {**GOOD, "handed_over_at": future}
    )
    assert response.status_code == 422
    assert "The time of hand-over is in the future." in response.content.decode()
    assert not Transfer.objects.exists() and "transferred" not in events(acme_item)


def test_the_api_refuses_an_unknown_method_with_a_422_naming_it(admin, bearer, acme_item):
    response = bearer(admin).post(
        f"/api/v1/evidence/items/{acme_item.pk}/transfers", {**GOOD, "method": "telepathy"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422 and "method" in str(response.json()["detail"])
    future = {**GOOD, "handed_over_at": "2099-01-01T00:00:00Z"}
    response = bearer(admin).post(
        f"/api/v1/evidence/items/{acme_item.pk}/transfers", future, content_type="application/json"
    )
    assert response.status_code == 422 and "handed_over_at" in str(response.json()["detail"])
    assert not Transfer.objects.exists()


def test_a_documenter_may_open_but_not_hand_over(documenter, login, bearer, acme_item):
    """Handing over is for those who vouch for the evidence (record.verify)."""
    response = login(documenter).post(
        reverse("evidence:transfer_create", args=[acme_item.pk]), GOOD
    )
    assert response.status_code == 403
    page = login(documenter).get(reverse("evidence:item_detail", args=[acme_item.pk])).content
    assert "Record the hand-over" not in page.decode()
    api = bearer(documenter).post(
        f"/api/v1/evidence/items/{acme_item.pk}/transfers", GOOD, content_type="application/json"
    )
    assert api.status_code == 403
    with pytest.raises(PermissionDenied):
        actions.record_transfer(documenter, acme_item, GOOD)
    assert not Transfer.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "beacon_admin", "viewer", "reviewer", "coordinator"])
def test_who_may_not_open_the_item_cannot_hand_it_over(cast, login, bearer, acme_item, who):
    user = getattr(cast, who)
    assert (
        login(user).post(reverse("evidence:transfer_create", args=[acme_item.pk]), GOOD).status_code
        == 404
    )
    api = bearer(user).post(
        f"/api/v1/evidence/items/{acme_item.pk}/transfers", GOOD, content_type="application/json"
    )
    assert api.status_code == 404
    assert not Transfer.objects.exists()


def test_a_removed_item_cannot_be_handed_over(admin, acme):
    item = removed_item(admin, acme)
    with pytest.raises(PermissionDenied, match="tombstone"):
        actions.record_transfer(admin, item, GOOD)
    assert not Transfer.objects.exists()


def test_a_hand_over_record_cannot_be_changed_or_deleted_in_the_database(analyst, acme_item):
    from django.db import DatabaseError, connection, transaction

    transfer = actions.record_transfer(analyst, acme_item, GOOD)
    for sql, params in (
        ("UPDATE evidence_transfer SET institution = %s WHERE id = %s", ["elsewhere", transfer.pk]),
        ("DELETE FROM evidence_transfer WHERE id = %s", [transfer.pk]),
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    assert Transfer.objects.get(pk=transfer.pk).institution == GOOD["institution"]
