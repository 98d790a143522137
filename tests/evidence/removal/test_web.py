"""The removal pages: an admin asks, another admin approves or rejects from the list of
pending requests; the item's page, the list and the API show the tombstone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from justicework.evidence.actions import removals
from justicework.evidence.models import RemovalRequest, Tombstone
from justicework.evidence.storage import store

from ..conftest import upload_file
from .helpers import second_admin

FORM = {"reason": "Court order", "legal_basis": "Order 12/2026 of the district court"}


@pytest.fixture
def item(documenter, acme):
    return upload_file(documenter, acme, b"web removal", filename="w.txt")


def test_two_admins_remove_an_item_through_the_pages(
    admin, acme, item, login, django_capture_on_commit_callbacks
):
    first = login(admin)
    page = first.get(reverse("evidence:item_detail", args=[item.pk])).content.decode()
    assert reverse("evidence:removal_request", args=[item.pk]) in page
    response = first.post(reverse("evidence:removal_request", args=[item.pk]), FORM)
    removal = RemovalRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:removal_detail", args=[removal.pk])
    own = first.get(response["Location"]).content.decode()
    assert "another admin must decide it" in own and 'value="approve"' not in own

    second = login(second_admin(acme))
    listing = second.get(reverse("evidence:removal_list")).content.decode()
    assert reverse("evidence:removal_detail", args=[removal.pk]) in listing
    detail = second.get(reverse("evidence:removal_detail", args=[removal.pk])).content.decode()
    assert 'value="approve"' in detail and FORM["legal_basis"] in detail
    with django_capture_on_commit_callbacks(execute=True):
        decided = second.post(
            reverse("evidence:removal_decide", args=[removal.pk]),
            {"decision": "approve", "note": "order checked"},
        )
    assert decided.status_code == 302
    assert Tombstone.objects.filter(item=item).exists()
    assert not store().exists(item.original.sha256)

    page = second.get(reverse("evidence:item_detail", args=[item.pk])).content.decode()
    assert 'id="tombstone"' in page and item.original.sha256 in page
    assert reverse("evidence:removal_request", args=[item.pk]) not in page
    listing = second.get(reverse("evidence:item_list")).content.decode()
    assert "Removed" in listing and f'value="{item.pk}"' not in listing
    assert "removed (tombstone)" in second.get(reverse("web:dashboard")).content.decode()


def test_the_api_shows_the_tombstone(admin, acme, item, bearer):
    removal = removals.request_removal(admin, item, **FORM)
    removals.approve_removal(second_admin(acme), removal)
    client = bearer(admin, "read")
    detail = client.get(f"/api/v1/evidence/items/{item.pk}").json()
    assert detail["removed"] is True and detail["sha256"] == item.original.sha256
    assert detail["tombstone"]["legal_basis"] == FORM["legal_basis"]
    assert detail["tombstone"]["approved_by"] == "admin2@acme.test"
    listed = client.get("/api/v1/evidence/items").json()["items"]
    assert [row["removed"] for row in listed if row["id"] == item.pk] == [True]


def test_a_live_item_is_not_removed_in_the_api(admin, item, bearer):
    detail = bearer(admin, "read").get(f"/api/v1/evidence/items/{item.pk}").json()
    assert detail["removed"] is False and detail["tombstone"] is None


def test_a_request_without_legal_basis_is_refused_naming_it(admin, item, login):
    response = login(admin).post(
        reverse("evidence:removal_request", args=[item.pk]), {"reason": "x", "legal_basis": ""}
    )
    assert response.status_code == 400 and "Give the legal basis." in response.content.decode()
    assert not RemovalRequest.objects.exists()


@pytest.mark.parametrize("who", ["analyst", "documenter"])
def test_who_is_not_admin_may_not_ask(cast, item, login, who):
    client = login(getattr(cast, who))
    page = client.get(reverse("evidence:item_detail", args=[item.pk])).content.decode()
    assert reverse("evidence:removal_request", args=[item.pk]) not in page
    url = reverse("evidence:removal_request", args=[item.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, FORM).status_code == 403
    assert client.get(reverse("evidence:removal_list")).status_code == 403
    assert not RemovalRequest.objects.exists()


@pytest.mark.parametrize("who", ["beacon_admin", "outsider"])
def test_another_organisation_sees_nothing(cast, admin, item, login, who):
    removal = removals.request_removal(admin, item, **FORM)
    client = login(getattr(cast, who))
    assert client.post(reverse("evidence:removal_request", args=[item.pk]), FORM).status_code == 404
    assert client.get(reverse("evidence:removal_detail", args=[removal.pk])).status_code == 404
    decide = reverse("evidence:removal_decide", args=[removal.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    removal.refresh_from_db()
    assert removal.status == "pending" and not Tombstone.objects.exists()


def test_an_analyst_cannot_decide(admin, analyst, item, login):
    removal = removals.request_removal(admin, item, **FORM)
    client = login(analyst)
    decide = reverse("evidence:removal_decide", args=[removal.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    assert RemovalRequest.objects.get().status == "pending"


def test_the_requester_cannot_approve_by_posting(admin, item, login):
    removal = removals.request_removal(admin, item, **FORM)
    response = login(admin).post(
        reverse("evidence:removal_decide", args=[removal.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert RemovalRequest.objects.get().status == "pending" and not Tombstone.objects.exists()


def test_the_pending_list_counts_its_queries(admin, acme, login, django_assert_num_queries):
    for n in range(3):
        thing = upload_file(admin, acme, f"many {n}".encode(), filename=f"{n}.txt")
        removals.request_removal(admin, thing, **FORM)
    client = login(second_admin(acme))
    client.get(reverse("evidence:removal_list"))
    with django_assert_num_queries(8, exact=False):
        page = client.get(reverse("evidence:removal_list")).content.decode()
    assert page.count("/evidence/removals/") >= 3
