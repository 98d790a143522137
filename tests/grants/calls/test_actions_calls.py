"""Programmes and calls through the actions: validation naming the field (nothing changed),
the audit entries, the call's life, and changes after publication logged."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.grants import actions_calls as actions
from justicework.grants.models import Call, CallChange, Programme
from tests.grants.calls.conftest import call_fields


def _fields_of(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


def test_officer_creates_a_programme_audited(cast) -> None:
    programme = actions.create_programme(cast.officer, cast.acme, name="Fund", currency="UAH")
    assert programme.cap_per_recipient == Decimal("60000.00")
    entry = AuditEntry.objects.get(action="grants.programme.created")
    assert entry.actor_id == cast.officer.pk and entry.organisation_id == cast.acme.pk


def test_programme_cap_above_default_needs_justification(cast) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.create_programme(
            cast.officer, cast.acme, name="Fund", currency="EUR", cap_per_recipient=Decimal("90000")
        )
    assert _fields_of(exc) == {"cap_justification"}
    with pytest.raises(ValidationError) as exc:
        actions.create_programme(cast.officer, cast.acme, name="Fund", currency="EURO")
    assert "currency" in _fields_of(exc)
    assert not Programme.objects.exists()
    programme = actions.create_programme(
        cast.officer,
        cast.acme,
        name="Fund",
        currency="EUR",
        cap_per_recipient=Decimal("90000"),
        cap_justification="Work programme 2026, section 4",
    )
    actions.update_programme(cast.officer, programme, name="Fund II")
    assert AuditEntry.objects.filter(action="grants.programme.updated").count() == 1


def test_others_cannot_create_programmes_or_calls(cast, programme, applicant) -> None:
    for user in (cast.reviewer, cast.viewer, cast.admin, cast.beacon_admin, applicant.user):
        with pytest.raises(PermissionDenied):
            actions.create_programme(user, cast.acme, name="X", currency="EUR")
        with pytest.raises(PermissionDenied):
            actions.create_call(user, programme, **call_fields())
    assert not Call.objects.exists()


def test_officer_creates_a_draft_call_with_defaults(cast, programme) -> None:
    call = actions.create_call(cast.officer, programme, **call_fields())
    assert call.status == Call.Status.DRAFT
    assert call.currency == "EUR" and call.cap_per_recipient == programme.cap_per_recipient
    assert call.reference.startswith("CALL-")
    assert AuditEntry.objects.filter(action="grants.call.created", object_id=str(call.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_at": timezone.now() - timedelta(days=3)}, "closes_at"),
        ({"amount_min": Decimal("60000"), "amount_max": Decimal("50000")}, "amount_max"),
        ({"amount_max": Decimal("70000"), "budget": Decimal("900000")}, "amount_max"),
        ({"budget": Decimal("1000")}, "budget"),
        ({"cap_per_recipient": Decimal("80000")}, "cap_justification"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        (
            {
                "activity_types": [
                    {"code": "a", "title": {"en": "A"}},
                    {"code": "a", "title": {"en": "B"}},
                ]
            },
            "activity_types",
        ),
        ({"activity_types": [{"code": "Bad Code", "title": {"en": "A"}}]}, "activity_types"),
        ({"activity_types": [{"code": "a", "title": {}}]}, "activity_types"),
        ({"activity_types": "documentation"}, "activity_types"),
        ({"recipient_categories": ["aliens"]}, "recipient_categories"),
        ({"legal_forms": ["ngo", "ngo"]}, "legal_forms"),
        ({"countries": ["XX"]}, "countries"),
        ({"title": {}}, "title"),
        ({"title": {"xx": "Hello"}}, "title"),
        ({"currency": "EURO"}, "currency"),
        ({"publication_links": ["not a link"]}, "publication_links"),
        ({"reference": "has space"}, "reference"),
    ],
)
def test_bad_call_input_names_the_field(cast, programme, overrides, field) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.create_call(cast.officer, programme, **call_fields(**overrides))
    assert field in _fields_of(exc)
    assert not Call.objects.exists()


def test_cap_above_the_programmes_with_justification(cast, programme) -> None:
    call = actions.create_call(
        cast.officer,
        programme,
        **call_fields(
            cap_per_recipient=Decimal("80000"), cap_justification="Justified in the work programme"
        ),
    )
    assert call.cap_per_recipient == Decimal("80000")


def test_naive_dates_are_read_in_the_calls_zone(cast, programme) -> None:
    import datetime as dt

    fields = call_fields(
        opens_at=dt.datetime(2030, 1, 1, 9, 0),  # noqa: DTZ001 - naive on purpose
        closes_at=dt.datetime(2030, 2, 1, 17, 0),  # noqa: DTZ001 - naive on purpose
    )
    call = actions.create_call(cast.officer, programme, **fields)
    assert call.opens_at == dt.datetime(2030, 1, 1, 7, 0, tzinfo=dt.UTC)  # Kyiv is UTC+2 in winter


def test_unknown_field_and_duplicate_reference_refused(cast, programme) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.create_call(cast.officer, programme, status="published", **call_fields())
    assert _fields_of(exc) == {"status"}
    actions.create_call(cast.officer, programme, reference="FSTP-1", **call_fields())
    with pytest.raises(ValidationError) as exc:
        actions.create_call(cast.officer, programme, reference="fstp-1", **call_fields())
    assert _fields_of(exc) == {"reference"}


def test_a_draft_changes_without_a_log(cast, draft_call) -> None:
    actions.update_call(cast.officer, draft_call, amount_note="Lump sums by activity")
    assert not CallChange.objects.exists()
    assert AuditEntry.objects.filter(action="grants.call.updated").count() == 1


def test_a_failed_update_changes_nothing(cast, draft_call) -> None:
    closes = draft_call.closes_at
    with pytest.raises(ValidationError) as exc:
        actions.update_call(cast.officer, draft_call, closes_at=draft_call.opens_at - timedelta(1))
    assert _fields_of(exc) == {"closes_at"}
    assert draft_call.closes_at == closes
    draft_call.refresh_from_db()
    assert draft_call.closes_at == closes


def test_a_change_after_publication_is_logged_with_its_reason(cast, open_call) -> None:
    later = open_call.closes_at + timedelta(days=7)
    with pytest.raises(ValidationError) as exc:
        actions.update_call(cast.officer, open_call, closes_at=later)
    assert _fields_of(exc) == {"note"}
    actions.update_call(cast.officer, open_call, closes_at=later, note="More time after the floods")
    change = CallChange.objects.get()
    assert change.field == "closes_at" and change.note == "More time after the floods"
    assert change.new == later.isoformat() and change.changed_by == cast.officer


def test_the_calls_life(cast, draft_call) -> None:
    actions.change_status(cast.officer, draft_call, Call.Status.PUBLISHED)
    with pytest.raises(ValidationError):
        actions.change_status(cast.officer, draft_call, Call.Status.DECIDED)
    with pytest.raises(ValidationError) as exc:
        actions.change_status(cast.officer, draft_call, Call.Status.CLOSED)
    assert _fields_of(exc) == {"note"}
    actions.change_status(cast.officer, draft_call, Call.Status.CLOSED, note="Budget used up")
    assert CallChange.objects.get().field == "closes_at"
    with pytest.raises(ValidationError) as exc:
        actions.update_call(cast.officer, draft_call, amount_note="x", note="why")
    assert _fields_of(exc) == {"status"}
    for status in (Call.Status.UNDER_REVIEW, Call.Status.DECIDED, Call.Status.ARCHIVED):
        actions.change_status(cast.officer, draft_call, status)
    assert AuditEntry.objects.filter(action="grants.call.status_changed").count() == 5


def test_publishing_needs_criteria_and_questions(cast, programme) -> None:
    call = actions.create_call(cast.officer, programme, **call_fields())
    with pytest.raises(ValidationError) as exc:
        actions.change_status(cast.officer, call, Call.Status.PUBLISHED)
    assert _fields_of(exc) == {"criteria", "questions"}
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT


def test_a_published_call_past_its_closing_time_is_closed(cast, open_call) -> None:
    now = timezone.now()
    assert actions.effective_status(open_call, now) == "published"
    assert actions.is_open(open_call, now)
    later = open_call.closes_at + timedelta(seconds=1)
    assert actions.effective_status(open_call, later) == "closed"
    assert not actions.is_open(open_call, later)
    open_call.closes_at = now - timedelta(minutes=1)
    open_call.save()
    # no note needed: it closed on time; then the review may start
    actions.change_status(cast.officer, open_call, Call.Status.UNDER_REVIEW)
    assert open_call.status == Call.Status.UNDER_REVIEW


def test_others_cannot_change_a_call(cast, open_call, applicant) -> None:
    for user in (cast.reviewer, cast.viewer, cast.admin, cast.beacon_admin, applicant.user):
        with pytest.raises(PermissionDenied):
            actions.update_call(user, open_call, amount_note="x", note="y")
        with pytest.raises(PermissionDenied):
            actions.change_status(user, open_call, Call.Status.CLOSED, note="y")
    open_call.refresh_from_db()
    assert open_call.status == Call.Status.PUBLISHED and open_call.amount_note == ""
