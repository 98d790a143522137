"""The capture page and API: a documenter asks, the worker (immediate backend: at commit)
captures, the page shows the result; another organisation, a viewer, and another member of the
same organisation are refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from justicework.audit.models import AuditEntry
from justicework.evidence.models import Capture, Item
from justicework.tasks.models import Progress

pytestmark = pytest.mark.django_db(transaction=True)
API = "/api/v1/evidence/captures"


def test_a_documenter_captures_a_page_from_the_form(login: Any, cast: Any, web_server: str,
                                                    settings: Any) -> None:  # fmt: skip
    settings.EVIDENCE_CAPTURE_BROWSER = ""
    client = login(cast.documenter)
    assert client.get("/evidence/capture/").status_code == 200
    response = client.post("/evidence/capture/", {"url": f"{web_server}/r1"})
    capture = Capture.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{capture.pk}/")
    assert capture.status == "done" and capture.http_status == 200
    progress = Progress.objects.get(pk=capture.progress_id)
    assert progress.status == "succeeded" and progress.done > 0
    page = client.get(f"/evidence/captures/{capture.pk}/").content.decode()
    assert capture.item.original.sha256 in page and "hx-get" not in page
    assert AuditEntry.objects.filter(action="evidence.capture.done").exists()


def test_a_refused_address_is_named_on_the_form_and_nothing_is_made(
    login: Any, cast: Any, settings: Any
) -> None:
    settings.EVIDENCE_CAPTURE_ALLOW_LOOPBACK = False
    client = login(cast.documenter)
    response = client.post("/evidence/capture/", {"url": "http://127.0.0.1:8000/admin"})
    assert response.status_code == 422 and "a loopback address" in response.content.decode()
    assert not Capture.objects.exists() and not Progress.objects.exists()


def test_a_failed_capture_says_why(login: Any, cast: Any, web_server: str) -> None:
    client = login(cast.documenter)
    client.post("/evidence/capture/", {"url": f"{web_server}/to-private"})
    capture = Capture.objects.get()
    assert capture.status == "failed" and "10.0.0.1" in capture.problem
    assert Progress.objects.get(pk=capture.progress_id).status == "failed"
    page = client.get(f"/evidence/captures/{capture.pk}/").content.decode()
    assert "The page was not captured." in page and not Item.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "reviewer", "loner"])
def test_those_who_may_not_add_evidence_cannot_capture(login: Any, cast: Any, who: str,
                                                       web_server: str) -> None:  # fmt: skip
    client = login(getattr(cast, who))
    assert client.get("/evidence/capture/").status_code in {403, 404}
    assert client.post("/evidence/capture/", {"url": f"{web_server}/page"}).status_code in {
        403, 404,
    }  # fmt: skip
    assert not Capture.objects.exists()


def test_another_organisations_member_captures_only_into_their_own(
    login: Any, cast: Any, web_server: str, settings: Any
) -> None:
    settings.EVIDENCE_CAPTURE_BROWSER = ""
    login(cast.outsider).post("/evidence/capture/", {"url": f"{web_server}/report.pdf"})
    capture = Capture.objects.get()
    assert capture.organisation == cast.beacon and capture.item.organisation == cast.beacon
    assert login(cast.documenter).get(f"/evidence/items/{capture.item_id}/").status_code == 404


def test_a_capture_is_seen_only_by_the_person_who_asked(login: Any, cast: Any, web_server: str,
                                                       settings: Any) -> None:  # fmt: skip
    settings.EVIDENCE_CAPTURE_BROWSER = ""
    login(cast.documenter).post("/evidence/capture/", {"url": f"{web_server}/report.pdf"})
    capture = Capture.objects.get()
    for other in (cast.admin, cast.outsider, cast.viewer):
        assert login(other).get(f"/evidence/captures/{capture.pk}/").status_code == 404
        assert login(other).get(f"{API}/{capture.pk}").status_code == 404


def test_the_api_asks_for_a_capture_and_follows_it(bearer: Any, cast: Any, web_server: str,
                                                  settings: Any) -> None:  # fmt: skip
    settings.EVIDENCE_CAPTURE_BROWSER = ""
    client = bearer(cast.documenter)
    body = {"url": f"{web_server}/page", "organisation_id": cast.acme.pk}
    response = client.post(API, json.dumps(body), content_type="application/json")
    assert response.status_code == 202, response.content
    answer = client.get(f"{API}/{response.json()['id']}").json()
    assert answer["status"] == "done" and answer["http_status"] == 200
    assert answer["item_id"] == Capture.objects.get().item_id
    assert answer["final_url"] == f"{web_server}/page" and answer["address"] == "127.0.0.1"


def test_the_api_refuses_a_forbidden_address_with_422(bearer: Any, cast: Any,
                                                      settings: Any) -> None:  # fmt: skip
    settings.EVIDENCE_CAPTURE_ALLOW_LOOPBACK = False
    body = {"url": "http://[::1]:9/", "organisation_id": cast.acme.pk}
    response = bearer(cast.documenter).post(API, json.dumps(body), content_type="application/json")
    assert response.status_code == 422 and "a loopback address" in response.content.decode()
    assert not Capture.objects.exists()


@pytest.mark.parametrize(("who", "scope"), [("viewer", "write"), ("outsider", "write"),
                                             ("documenter", "read")])  # fmt: skip
def test_the_api_refuses_those_who_may_not_capture(bearer: Any, cast: Any, web_server: str,
                                                   who: str, scope: str) -> None:  # fmt: skip
    body = {"url": f"{web_server}/page", "organisation_id": cast.acme.pk}
    response = bearer(getattr(cast, who), scope).post(
        API, json.dumps(body), content_type="application/json"
    )
    assert response.status_code in {403, 404}
    assert not Capture.objects.exists()
