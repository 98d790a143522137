"""Opening an item's page is custody entry "viewed"; a form's errors shown again are not, nor
a refused look."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.evidence import custody
from justicework.evidence.models import CustodyEntry

from .conftest import events


def test_opening_the_item_page_appends_viewed_to_the_chain_and_the_audit_log(
    analyst, login, acme_item
):
    response = login(analyst).get(reverse("evidence:item_detail", args=[acme_item.pk]))
    assert response.status_code == 200
    assert events(acme_item) == ["collected", "received", "viewed"]
    entry = CustodyEntry.objects.get(item=acme_item, event="viewed")
    assert entry.actor == analyst
    assert entry.detail == {"sha256": acme_item.original.sha256, "channel": "web"}
    assert AuditEntry.objects.filter(action="evidence.custody.viewed", actor_id=analyst.pk).exists()
    assert custody.problems(acme_item.custody.order_by("seq")) == []
    assert "Viewed (its page opened)" in response.content.decode()  # the log shows this view


def test_each_opening_is_its_own_entry(documenter, login, acme_item):
    client = login(documenter)
    for _ in range(2):
        client.get(reverse("evidence:item_detail", args=[acme_item.pk]))
    assert events(acme_item).count("viewed") == 2


def test_a_form_shown_again_with_its_errors_is_not_a_view(admin, login, acme_item):
    response = login(admin).post(
        reverse("evidence:transfer_create", args=[acme_item.pk]), {"recipient_name": ""}
    )
    assert response.status_code == 422
    assert "viewed" not in events(acme_item)


@pytest.mark.parametrize("who", ["outsider", "beacon_admin", "viewer", "officer", "reviewer",
                                 "coordinator", "loner"])  # fmt: skip
def test_who_may_not_open_the_item_leaves_no_view(cast, login, acme_item, who):
    response = login(getattr(cast, who)).get(reverse("evidence:item_detail", args=[acme_item.pk]))
    assert response.status_code == 404
    assert "viewed" not in events(acme_item)


def test_the_api_detail_is_a_view_by_the_api(documenter, bearer, acme_item):
    assert (
        bearer(documenter, "read").get(f"/api/v1/evidence/items/{acme_item.pk}").status_code == 200
    )
    entry = CustodyEntry.objects.get(item=acme_item, event="viewed")
    assert entry.actor == documenter and entry.detail["channel"] == "api"


def test_the_api_list_is_not_a_view_of_each_item(documenter, bearer, acme_item):
    assert bearer(documenter, "read").get("/api/v1/evidence/items").status_code == 200
    assert "viewed" not in events(acme_item)


def test_an_api_detail_refused_leaves_no_view(outsider, bearer, acme_item):
    assert bearer(outsider, "read").get(f"/api/v1/evidence/items/{acme_item.pk}").status_code == 404
    assert "viewed" not in events(acme_item)


def test_the_view_costs_the_page_one_custody_append(documenter, login, acme_item, on_postgres):
    """The page's queries grow by one append (item lock, chain head, insert; audit head, insert,
    head update; two savepoints and their release): 10 statements on SQLite, 11 on PostgreSQL
    (which also locks the audit head row), whatever the chain's length.
    ``links/test_views_links.py`` keeps the whole page's count constant (at most 60)."""
    client = login(documenter)
    url = reverse("evidence:item_detail", args=[acme_item.pk])
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as viewed:
        client.get(url)
    with (
        mock.patch("justicework.evidence.views.items.record_view"),
        CaptureQueriesContext(connection) as not_viewed,
    ):
        client.get(url)
    cost = len(viewed.captured_queries) - len(not_viewed.captured_queries)
    assert cost == (11 if on_postgres else 10)


def test_the_page_with_every_form_has_unique_ids_and_labelled_controls(bridge, login, acme_item):
    """acme's admin sees the verification, copy and hand-over forms on one page."""
    import re

    page = login(bridge).get(reverse("evidence:item_detail", args=[acme_item.pk])).content.decode()
    assert "copy-form" in page and "transfer-form" in page and 'id="id_status"' in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for name in ("recipient_name", "institution", "method", "handed_over_at", "note"):
        assert f'for="transfer-{name}"' in page and f'id="transfer-{name}"' in page
    assert 'for="copy-organisation"' in page
