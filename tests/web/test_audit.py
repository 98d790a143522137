"""The audit page: the organisation's entries for its admins, and the chain check."""

from __future__ import annotations

import pytest

from justicework.audit.chain import record
from justicework.audit.models import AuditEntry
from justicework.audit.verify import VerifyResult
from justicework.web import views

pytestmark = pytest.mark.django_db


def test_admin_reads_their_organisations_audit_log(login, admin, acme, beacon) -> None:
    response = login(admin).get(f"/organisations/{acme.pk}/audit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "core.membership.added" in html
    assert "<code>role</code>: <bdi>viewer</bdi>" in html  # the entry's diff is shown
    seqs = {str(e.seq) for e in AuditEntry.objects.filter(organisation_id=acme.pk)}
    other = {str(e.seq) for e in AuditEntry.objects.filter(organisation_id=beacon.pk)}
    for seq in seqs:
        assert f"<td>{seq}</td>" in html
    for seq in other:
        assert f"<td>{seq}</td>" not in html


def test_a_diff_with_a_key_named_items_is_shown(login, admin, acme) -> None:
    record(admin, "test.thing.packed", organisation_id=acme.pk, object_type="test.thing",
           object_id="1", diff={"items": [3, 4], "keys": "k"})  # fmt: skip
    response = login(admin).get(f"/organisations/{acme.pk}/audit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<code>items</code>: <bdi>[3, 4]</bdi>" in html
    assert "<code>keys</code>: <bdi>k</bdi>" in html


@pytest.mark.parametrize("who", ["beacon_admin", "analyst", "viewer", "loner", "superuser"])
def test_others_cannot_read_the_audit_log(login, cast, acme, who) -> None:
    client = login(getattr(cast, who))
    assert client.get(f"/organisations/{acme.pk}/audit/").status_code == 404
    assert client.post(f"/organisations/{acme.pk}/audit/verify/").status_code == 404


def test_audit_log_is_paginated_with_constant_queries(
    login, admin, acme, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    client = login(admin)
    client.get(f"/organisations/{acme.pk}/audit/")
    with django_assert_max_num_queries(10) as before:
        client.get(f"/organisations/{acme.pk}/audit/")
    for i in range(views.AUDIT_PAGE_SIZE + 5):
        record(
            admin,
            "test.thing.touched",
            organisation_id=acme.pk,
            object_type="test.thing",
            object_id=str(i),
        )
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(f"/organisations/{acme.pk}/audit/")
    html = response.content.decode()
    assert html.count("<code>test.thing.touched</code>") == views.AUDIT_PAGE_SIZE
    assert "Page 1 of 2" in html and "?page=2" in html
    page2 = client.get(f"/organisations/{acme.pk}/audit/?page=2").content.decode()
    assert "Page 2 of 2" in page2 and "<code>core.membership.added</code>" in page2


def test_verify_reports_an_intact_chain_as_htmx_fragment(login, admin, acme) -> None:
    response = login(admin).post(
        f"/organisations/{acme.pk}/audit/verify/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Intact" in html
    assert f"The chain of {AuditEntry.objects.count()} entries is intact." in html


def test_verify_without_htmx_renders_the_whole_page(login, admin, acme) -> None:
    response = login(admin).post(f"/organisations/{acme.pk}/audit/verify/")
    html = response.content.decode()
    assert "<html" in html and "Intact" in html


def test_verify_reports_a_broken_chain(login, admin, acme, monkeypatch) -> None:
    monkeypatch.setattr(
        views, "verify_chain", lambda: VerifyResult(False, 3, 4, "content does not match")
    )
    html = (
        login(admin)
        .post(f"/organisations/{acme.pk}/audit/verify/", headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "Broken" in html
    assert "The chain is broken at entry 4 (after 3 good entries)." in html


def test_verify_needs_post(login, admin, acme) -> None:
    assert login(admin).get(f"/organisations/{acme.pk}/audit/verify/").status_code == 405


def test_audit_shortcut_opens_the_active_organisations_log(login, admin, acme) -> None:
    response = login(admin).get("/audit/")
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{acme.pk}/audit/"


@pytest.mark.parametrize("who", ["viewer", "loner"])
def test_audit_shortcut_is_404_without_the_capability(login, cast, who) -> None:
    assert login(getattr(cast, who)).get("/audit/").status_code == 404
