"""The API: an item shows its links and findings; links added and removed, findings added,
the status moved; allow and deny for each endpoint; custody entries."""

from __future__ import annotations

import pytest

from justicework.evidence.actions import link_item, record_finding
from justicework.evidence.models import CustodyEntry, Finding, Link

LINKS = "/api/v1/evidence/links"
FINDINGS = "/api/v1/evidence/findings"


def _item(item):
    return f"/api/v1/evidence/items/{item.pk}"


def test_an_item_shows_its_links_and_findings(documenter, analyst, bearer, acme_item, incident,
                                              person):  # fmt: skip
    link_item(documenter, acme_item, incident)
    link_item(documenter, acme_item, person)
    record_finding(analyst, acme_item, level="source", text="Known account", confidence="high")
    body = bearer(documenter, "read").get(_item(acme_item)).json()
    kinds = {row["kind"]: row for row in body["links"]}
    assert kinds["incident"]["target_id"] == incident.pk
    assert kinds["incident"]["reference"] == {"reference": "ACME-2023-017"}
    assert kinds["person"]["reference"] == {"code": person.code}
    assert "Олена" not in str(body)
    assert body["findings"][0]["text"] == "Known account" and body["status"] == "in_review"


def test_a_link_is_added_and_removed(documenter, bearer, acme_item, violation):
    client = bearer(documenter)
    created = client.post(
        LINKS, {"item_id": acme_item.pk, "kind": "violation", "target_id": violation.pk},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    link_id = created.json()["id"]
    listed = client.get(LINKS, {"violation": violation.pk}).json()["items"]
    assert [row["id"] for row in listed] == [link_id]
    assert client.delete(f"{LINKS}/{link_id}").status_code == 204
    events = CustodyEntry.objects.filter(item=acme_item).values_list("event", flat=True)
    assert list(events)[-2:] == ["linked", "unlinked"] and not Link.objects.exists()


def test_another_organisations_incident_is_404(documenter, bearer, acme_item, beacon_incident):
    response = bearer(documenter).post(
        LINKS, {"item_id": acme_item.pk, "kind": "incident", "target_id": beacon_incident.pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404 and not Link.objects.exists()


def test_a_bad_kind_is_422_naming_the_field(documenter, bearer, acme_item, incident):
    response = bearer(documenter).post(
        LINKS, {"item_id": acme_item.pk, "kind": "unit", "target_id": incident.pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422 and "kind" in str(response.json()["detail"])


@pytest.mark.parametrize(("who", "code"), [("outsider", 404), ("viewer", 404), ("loner", 404),
                                           ("analyst", 201)])  # fmt: skip
def test_who_may_link_through_the_api(cast, bearer, acme_item, incident, who, code):
    response = bearer(getattr(cast, who)).post(
        LINKS, {"item_id": acme_item.pk, "kind": "incident", "target_id": incident.pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == code


def test_a_read_token_may_not_link(documenter, bearer, acme_item, incident):
    response = bearer(documenter, "read").post(
        LINKS, {"item_id": acme_item.pk, "kind": "incident", "target_id": incident.pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403 and not Link.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "viewer"])
def test_who_may_not_open_the_item_cannot_remove_its_link(cast, documenter, bearer, acme_item,
                                                          incident, who):  # fmt: skip
    link = link_item(documenter, acme_item, incident)
    assert bearer(getattr(cast, who)).delete(f"{LINKS}/{link.pk}").status_code == 404
    assert Link.objects.count() == 1


def test_findings_and_status_through_the_api(analyst, admin, bearer, acme_item):
    client = bearer(analyst)
    created = client.post(
        FINDINGS, {"item_id": acme_item.pk, "level": "content", "confidence": "low",
                   "text": "Weather does not match"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201 and created.json()["reviewer"] == analyst.email
    moved = client.post(f"{_item(acme_item)}/status", {"status": "disputed"},
                        content_type="application/json")  # fmt: skip
    assert moved.status_code == 200 and moved.json()["status"] == "disputed"
    refused = client.post(f"{_item(acme_item)}/status", {"status": "verified"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 422 and "status" in str(refused.json()["detail"])


@pytest.mark.parametrize(("who", "code"), [("documenter", 403), ("viewer", 404),
                                           ("outsider", 404)])  # fmt: skip
def test_who_may_not_verify_through_the_api(cast, bearer, acme_item, who, code):
    client = bearer(getattr(cast, who))
    finding = client.post(
        FINDINGS, {"item_id": acme_item.pk, "level": "item", "confidence": "high", "text": "x"},
        content_type="application/json",
    )  # fmt: skip
    status = client.post(f"{_item(acme_item)}/status", {"status": "in_review"},
                         content_type="application/json")  # fmt: skip
    assert finding.status_code == status.status_code == code
    assert not Finding.objects.exists()


def test_an_item_and_the_link_list_keep_constant_queries(
    documenter, acme, bearer, acme_item, django_assert_max_num_queries
):
    from ...violations.conftest import make_incident

    client = bearer(documenter, "read")
    link_item(documenter, acme_item, make_incident(acme, title="First"))
    client.get(_item(acme_item))
    with django_assert_max_num_queries(30) as few:
        client.get(_item(acme_item))
    with django_assert_max_num_queries(30) as few_links:
        client.get(LINKS)
    for n in range(6):
        link_item(documenter, acme_item, make_incident(acme, title=f"Incident {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(_item(acme_item)).json()["links"]) == 7
    with django_assert_max_num_queries(len(few_links.captured_queries)):
        assert len(client.get(LINKS).json()["items"]) == 7
