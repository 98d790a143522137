"""The evidence list and an item's page: allow and deny, what they show, query counts."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.urls import reverse

from justicework.evidence import triggers
from justicework.evidence.models import CustodyEntry, Item

from ..conftest import upload_file


@pytest.fixture
def acme_item(documenter, acme):
    return upload_file(
        documenter, acme, b"acme testimony", filename="t\u00e9moignage.txt",
        collector="Field team 2", collected_at="2024-03-01T10:00:00+02:00",
        tool="Phone camera", source_url="https://example.org/post/1", method="Screen recording",
    )  # fmt: skip


@pytest.fixture
def beacon_item(outsider, beacon):
    return upload_file(outsider, beacon, b"beacon secret bytes", filename="beaconfile.txt")


def test_the_item_page_shows_hashes_size_type_record_and_custody(analyst, login, acme_item):
    response = login(analyst).get(reverse("evidence:item_detail", args=[acme_item.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert hashlib.sha256(b"acme testimony").hexdigest() in page
    assert hashlib.sha512(b"acme testimony").hexdigest() in page
    assert "14 bytes" in page and "text/plain" in page
    assert (
        "Field team 2" in page and "Phone camera" in page and "https://example.org/post/1" in page
    )
    assert "2024-03-01T08:00:00+00:00" in page  # the time of collection, in UTC
    assert "Collected" in page and "Received" in page
    assert "The chain of custody verifies." in page


def test_a_broken_custody_chain_shows(analyst, login, acme_item):
    with triggers.suspended(connection):
        CustodyEntry.objects.filter(item=acme_item, seq=1).update(detail={"collector": "forged"})
    page = login(analyst).get(reverse("evidence:item_detail", args=[acme_item.pk])).content.decode()
    assert "does not verify" in page and "entry 1: its hash does not match" in page


@pytest.mark.parametrize("who", ["outsider", "beacon_admin", "viewer", "officer", "reviewer",
                                 "coordinator", "loner"])  # fmt: skip
def test_who_may_not_open_an_item_gets_404(cast, login, acme_item, who):
    response = login(getattr(cast, who)).get(reverse("evidence:item_detail", args=[acme_item.pk]))
    assert response.status_code == 404


def test_a_missing_item_is_404(documenter, login, db):
    assert login(documenter).get(reverse("evidence:item_detail", args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, acme_item):
    for url in (
        reverse("evidence:item_list"),
        reverse("evidence:item_detail", args=[acme_item.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_shows_only_what_the_user_may_open(documenter, login, acme_item, beacon_item):
    page = login(documenter).get(reverse("evidence:item_list")).content.decode()
    assert "témoignage.txt" in page
    assert "beaconfile.txt" not in page
    assert beacon_item.original.sha256[:16] not in page


def test_the_list_is_empty_for_a_viewer(viewer, login, acme_item):
    page = login(viewer).get(reverse("evidence:item_list")).content.decode()
    assert "témoignage.txt" not in page and "No evidence item found." in page


def test_the_list_finds_by_hash_prefix(documenter, acme, login, acme_item):
    other = upload_file(documenter, acme, b"another file", filename="another.txt")
    page = (
        login(documenter)
        .get(reverse("evidence:item_list"), {"sha256": other.original.sha256[:10]})
        .content.decode()
    )
    assert "another.txt" in page and "témoignage.txt" not in page


def test_the_list_pages_with_constant_queries(
    documenter, acme, login, django_assert_max_num_queries, settings
):
    from justicework.evidence import views

    views.PAGE_SIZE, saved = 3, views.PAGE_SIZE
    try:
        for n in range(5):
            upload_file(documenter, acme, f"file {n}".encode(), filename=f"f{n}.txt")
        client = login(documenter)
        client.get(reverse("evidence:item_list"))  # warm the session
        with django_assert_max_num_queries(12) as few:
            first = client.get(reverse("evidence:item_list"))
        for n in range(5, 15):
            upload_file(documenter, acme, f"file {n}".encode(), filename=f"f{n}.txt")
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("evidence:item_list"))
        assert "Older items" in first.content.decode()
        newest = Item.objects.order_by("-pk").first()
        older = client.get(reverse("evidence:item_list"), {"before": newest.pk}).content.decode()
        assert newest.display_name not in older
    finally:
        views.PAGE_SIZE = saved
