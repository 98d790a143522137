"""The interview pages and API: allow and deny, the earlier accounts shown before a new
interview, the reason required, the sexual-violence refusal, folded narratives whose
unfolding is audited, the report, and a withdrawn consent closing them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors import actions
from justicework.survivors.models import Interview, SurvivorFile
from tests.survivors.conftest import give, withdraw
from tests.survivors.test_interviews import data

pytestmark = pytest.mark.django_db
READ = "survivors.interview.narrative_read"


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        if user.requires_mfa:
            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def consented(coordinator: User, file: SurvivorFile) -> SurvivorFile:
    give(coordinator, file, Scope.DOCUMENTATION)
    return file


def form(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "purposes": ["documentation"],
        "interviewer_gender": "female",
        "preferred_gender": "female",
        "place": "office",
        "duration_minutes": "60",
        "breaks": "1",
        "narrative": "They came at night through the orchard.",
    }
    values.update(fields)
    return values


def test_documenter_records_then_must_say_why_again(
    login: Callable[[User], Client], documenter: User, consented: SurvivorFile
) -> None:
    client = login(documenter)
    url = reverse("survivors:interview_record", args=[consented.person_id])
    assert client.post(url, form()).status_code == 302
    page = client.get(reverse("survivors:interviews", args=[consented.person_id]))
    assert b"Does this interview add value?" in page.content
    assert b"orchard" not in page.content  # folded: the text is not even on the page
    again = client.post(url, form())
    assert again.status_code == 422 and b"say why this interview adds value" in again.content
    assert client.post(url, form(repeat_reason="Dates for the ICC")).status_code == 302
    assert Interview.objects.count() == 2


def test_sexual_violence_questions_without_the_purpose_are_refused_clearly(
    login: Callable[[User], Client], documenter: User, consented: SurvivorFile
) -> None:
    url = reverse("survivors:interview_record", args=[consented.person_id])
    response = login(documenter).post(url, form(sexual_violence_narrative="Q and A"))
    assert response.status_code == 422
    assert b"only when that purpose was declared" in response.content
    assert not Interview.objects.exists()


def test_unfolding_logs_then_returns_the_text(
    login: Callable[[User], Client], documenter: User, consented: SurvivorFile
) -> None:
    interview = actions.record_interview(documenter, consented, data())
    url = reverse(
        "survivors:narrative_unfold", args=[consented.person_id, interview.pk, "narrative"]
    )
    client = login(documenter)
    fragment = client.post(url, HTTP_HX_REQUEST="true")
    assert b"orchard" in fragment.content and fragment["Cache-Control"] == "no-store"
    page = client.post(url)
    assert b"orchard" in page.content and b"data-quick-exit" in page.content
    assert AuditEntry.objects.filter(action=READ).count() == 2
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("outsider", 404), ("analyst", 403)])
def test_others_are_refused_every_interview_page(
    request: pytest.FixtureRequest, login: Callable[[User], Client], who: str, status: int,
    documenter: User, consented: SurvivorFile,
) -> None:  # fmt: skip
    interview = actions.record_interview(documenter, consented, data())
    client = login(request.getfixturevalue(who))
    pk = consented.person_id
    assert client.get(reverse("survivors:interviews", args=[pk])).status_code == status
    record = reverse("survivors:interview_record", args=[pk])
    assert client.post(record, form(repeat_reason="x")).status_code == status
    unfold = reverse("survivors:narrative_unfold", args=[pk, interview.pk, "narrative"])
    assert client.post(unfold).status_code == status
    assert not AuditEntry.objects.filter(action=READ).exists()
    assert Interview.objects.count() == 1


def test_withdrawn_consent_closes_the_pages_and_the_narrative(
    login: Callable[[User], Client], documenter: User, coordinator: User,
    consented: SurvivorFile,
) -> None:  # fmt: skip
    interview = actions.record_interview(documenter, consented, data())
    withdraw(coordinator, consented, Scope.DOCUMENTATION)
    client = login(documenter)
    pk = consented.person_id
    assert client.get(reverse("survivors:interviews", args=[pk])).status_code in (403, 404)
    unfold = reverse("survivors:narrative_unfold", args=[pk, interview.pk, "narrative"])
    assert client.post(unfold).status_code in (403, 404)
    assert not AuditEntry.objects.filter(action=READ).exists()


def test_report_page(
    login: Callable[[User], Client], documenter: User, coordinator: User, viewer: User,
    consented: SurvivorFile, settings: Any,
) -> None:  # fmt: skip
    settings.SURVIVORS_INTERVIEW_LIMIT = 1
    actions.record_interview(documenter, consented, data())
    actions.record_interview(documenter, consented, data(repeat_reason="Dates"))
    page = login(coordinator).get(reverse("survivors:interview_report"))
    assert consented.person.code.encode() in page.content
    page = login(viewer).get(reverse("survivors:interview_report"))
    assert consented.person.code.encode() not in page.content


def test_api_lists_records_unfolds_and_refuses(
    login: Callable[[User], Client], documenter: User, viewer: User, consented: SurvivorFile
) -> None:
    base = f"/api/v1/survivors/interviews/persons/{consented.person_id}"
    client = login(documenter)
    body = {"held_at": timezone.now().isoformat(), "purposes": ["documentation"],
            "interviewer_gender": "female", "preferred_gender": "none", "place": "office",
            "duration_minutes": 40, "narrative": "Night, orchard."}  # fmt: skip
    created = client.post(base, body, content_type="application/json")
    assert created.status_code == 201
    [listed] = created.json()["interviews"]
    assert listed["has_narrative"] is True and "narrative" not in listed
    repeat = client.post(base, body, content_type="application/json")
    assert repeat.status_code == 422 and "repeat_reason" in repeat.text
    sv = client.post(
        base, {**body, "repeat_reason": "x", "sexual_violence_narrative": "Q"},
        content_type="application/json",
    )  # fmt: skip
    assert sv.status_code == 422 and "sexual_violence_narrative" in sv.text
    unfolded = client.post(f"{base}/{listed['id']}/narrative")
    assert unfolded.json()["text"] == "Night, orchard."
    assert AuditEntry.objects.filter(action=READ).count() == 1
    report = client.get("/api/v1/survivors/interviews/report")
    assert report.status_code == 200
    other = login(viewer)
    assert other.get(base).status_code == 403
    assert other.post(f"{base}/{listed['id']}/narrative").status_code == 403
    assert other.post(base, body, content_type="application/json").status_code == 403
    assert AuditEntry.objects.filter(action=READ).count() == 1


def test_the_report_is_in_the_header_for_coordinators_only(
    login: Callable[[User], Client], coordinator: User, viewer: User
) -> None:
    link = reverse("survivors:interview_report").encode()
    assert link in login(coordinator).get(reverse("web:dashboard")).content
    assert link not in login(viewer).get(reverse("web:dashboard")).content
