"""GET /api/v1/evidence/items and /items/{id}: allow and deny, the same ids as the web list."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from justicework.evidence.queries import Filters, search_items

from ..conftest import upload_file


@pytest.fixture
def items(documenter, outsider, acme, beacon):
    mine = [upload_file(documenter, acme, f"acme {n}".encode(), filename=f"a{n}.txt",
                        collector="Ana") for n in range(3)]  # fmt: skip
    theirs = upload_file(outsider, beacon, b"beacon bytes", filename="b.txt")
    return mine, theirs


def test_the_list_holds_what_the_caller_may_open(analyst, bearer, items):
    mine, _theirs = items
    body = bearer(analyst, "read").get("/api/v1/evidence/items").json()
    assert [row["id"] for row in body["items"]] == [i.pk for i in reversed(mine)]
    assert body["items"][0]["sha256"] == hashlib.sha256(b"acme 2").hexdigest()


def test_web_list_api_list_and_the_query_agree(analyst, bearer, login, items):
    api_ids = [
        r["id"] for r in bearer(analyst, "read").get("/api/v1/evidence/items").json()["items"]
    ]
    query_ids = list(search_items(analyst, Filters()).values_list("pk", flat=True))
    page = login(analyst).get(reverse("evidence:item_list")).content.decode()
    web_ids = [pk for pk in query_ids if f"/evidence/items/{pk}/" in page]
    assert api_ids == query_ids == web_ids


def test_one_item_with_its_record_and_custody(documenter, bearer, items):
    item = items[0][0]
    body = bearer(documenter, "read").get(f"/api/v1/evidence/items/{item.pk}").json()
    assert body["sha512"] == hashlib.sha512(b"acme 0").hexdigest()
    assert body["collector"] == "Ana"
    # this reading is in the chain it returns (custody "viewed", channel api)
    assert [e["event"] for e in body["custody"]] == ["collected", "received", "viewed"]
    assert body["custody"][1]["prev_hash"] == body["custody"][0]["hash"]
    assert body["custody"][2]["detail"]["channel"] == "api"


@pytest.mark.parametrize("who", ["viewer", "outsider", "officer", "loner"])
def test_who_may_not_open_it_gets_404(cast, bearer, items, who):
    item = items[0][0]
    assert (
        bearer(getattr(cast, who), "read").get(f"/api/v1/evidence/items/{item.pk}").status_code
        == 404
    )


def test_anonymous_is_401(client, items):
    assert client.get("/api/v1/evidence/items").status_code == 401


def test_the_api_list_costs_the_same_whatever_its_length(
    documenter, acme, bearer, django_assert_num_queries, django_assert_max_num_queries
):
    client = bearer(documenter, "read")
    upload_file(documenter, acme, b"first", filename="f.txt")
    client.get("/api/v1/evidence/items")
    with django_assert_max_num_queries(8) as few:
        client.get("/api/v1/evidence/items")
    for n in range(8):
        upload_file(documenter, acme, f"more {n}".encode(), filename=f"m{n}.txt")
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get("/api/v1/evidence/items").json()
    assert len(body["items"]) == 9
