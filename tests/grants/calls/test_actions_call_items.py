"""Criteria, form questions and questions-and-answers through the actions: free while a draft,
logged with a reason after publication, checks naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.models import AuditEntry
from justicework.grants import actions_call_items as items
from justicework.grants import actions_calls
from justicework.grants.models import Call, CallAnswer, CallChange, Criterion, Question


def _fields(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


def test_officer_adds_rows_to_a_draft(cast, draft_call) -> None:
    criterion = items.add_criterion(
        cast.officer,
        draft_call,
        code="local",
        title={"en": "Local leadership"},
        weight=Decimal("1.5"),
        min_score=0,
        max_score=5,
        threshold=Decimal("3"),
        priority="remote_rural",
    )
    assert criterion.order == 4
    question = items.add_question(
        cast.officer,
        draft_call,
        code="area",
        prompt={"en": "Where?"},
        kind="choice",
        choices=[{"code": "north", "title": {"en": "North"}}],
    )
    assert question.order == 3
    assert not CallChange.objects.exists()
    assert AuditEntry.objects.filter(action="grants.criterion.added").count() == 1
    assert AuditEntry.objects.filter(action="grants.question.added").count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "relevance"}, "code"),
        ({"code": "Bad code"}, "code"),
        ({"weight": Decimal("0")}, "weight"),
        ({"weight": Decimal("-1")}, "weight"),
        ({"min_score": 5, "max_score": 5}, "max_score"),
        ({"threshold": Decimal("11")}, "threshold"),
        ({"priority": "martians"}, "priority"),
        ({"kind": "vibes"}, "kind"),
        ({"title": {}}, "title"),
    ],
)
def test_bad_criterion_names_the_field(cast, draft_call, fields, field) -> None:
    values = {"code": "new", "title": {"en": "New"}} | fields
    with pytest.raises(ValidationError) as exc:
        items.add_criterion(cast.officer, draft_call, **values)
    assert field in _fields(exc)
    assert draft_call.criteria.count() == 3


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "summary"}, "code"),
        ({"kind": "choice"}, "choices"),
        ({"kind": "choice", "choices": [{"code": "a", "title": {"en": "A"}}] * 2}, "choices"),
        ({"choices": [{"code": "a", "title": {"en": "A"}}]}, "choices"),
        ({"prompt": {}}, "prompt"),
    ],
)
def test_bad_question_names_the_field(cast, draft_call, fields, field) -> None:
    values = {"code": "new", "prompt": {"en": "New?"}} | fields
    with pytest.raises(ValidationError) as exc:
        items.add_question(cast.officer, draft_call, **values)
    assert field in _fields(exc)
    assert draft_call.questions.count() == 2


def test_update_reorder_remove_in_a_draft(cast, draft_call) -> None:
    relevance = draft_call.criteria.get(code="relevance")
    items.update_item(cast.officer, relevance, weight=Decimal("3"))
    relevance.refresh_from_db()
    assert relevance.weight == Decimal("3")
    with pytest.raises(ValidationError) as exc:
        items.update_item(cast.officer, relevance, weight=Decimal("0"))
    assert _fields(exc) == {"weight"}
    relevance.refresh_from_db()
    assert relevance.weight == Decimal("3")
    items.reorder_items(cast.officer, draft_call, Criterion, ["women_led", "relevance", "capacity"])
    assert list(draft_call.criteria.values_list("code", flat=True)) == [
        "women_led",
        "relevance",
        "capacity",
    ]
    with pytest.raises(ValidationError) as exc:
        items.reorder_items(cast.officer, draft_call, Criterion, ["relevance"])
    assert _fields(exc) == {"order"}
    items.remove_item(cast.officer, draft_call.questions.get(code="staff"))
    assert list(draft_call.questions.values_list("code", flat=True)) == ["summary"]
    assert not CallChange.objects.exists()


def test_after_publication_rows_change_only_with_a_reason(cast, open_call) -> None:
    relevance = open_call.criteria.get(code="relevance")
    with pytest.raises(ValidationError) as exc:
        items.update_item(cast.officer, relevance, title={"en": "Relevance to local needs"})
    assert _fields(exc) == {"note"}
    items.update_item(
        cast.officer, relevance, title={"en": "Relevance to local needs"}, note="Clearer wording"
    )
    change = CallChange.objects.get()
    assert change.field == "criterion:relevance"
    assert change.old["title"] == {"en": "Relevance"}
    assert change.new["title"] == {"en": "Relevance to local needs"}
    items.reorder_items(cast.officer, open_call, Question, ["staff", "summary"], note="Order")
    items.remove_item(cast.officer, open_call.questions.get(code="staff"), note="Not needed")
    assert [c.field for c in CallChange.objects.order_by("pk")] == [
        "criterion:relevance",
        "question:order",
        "question:staff",
    ]


def test_rows_of_a_decided_call_do_not_change(cast, open_call) -> None:
    Call.objects.filter(pk=open_call.pk).update(status=Call.Status.DECIDED)
    open_call.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        items.add_criterion(cast.officer, open_call, code="x", title={"en": "X"}, note="why")
    assert _fields(exc) == {"status"}


def test_others_cannot_change_rows(cast, draft_call, applicant) -> None:
    row = draft_call.criteria.first()
    for user in (cast.reviewer, cast.viewer, cast.admin, cast.beacon_admin, applicant.user):
        with pytest.raises(PermissionDenied):
            items.add_criterion(user, draft_call, code="x", title={"en": "X"})
        with pytest.raises(PermissionDenied):
            items.remove_item(user, row)


def test_questions_and_answers(cast, open_call, applicant) -> None:
    with pytest.raises(ValidationError) as exc:
        items.ask_question(applicant.user, open_call, text="  ", language="en")
    assert _fields(exc) == {"question"}
    entry = items.ask_question(
        applicant.user, open_call, text="Can Kharkiv Women's Voices apply twice?", language="en"
    )
    assert entry.asked_by == applicant.user and entry.published_at is None
    with pytest.raises(PermissionDenied):
        items.answer_question(applicant.user, entry, answer={"en": "No"})
    with pytest.raises(ValidationError) as exc:
        items.answer_question(cast.officer, entry, answer={})
    assert _fields(exc) == {"answer"}
    items.answer_question(
        cast.officer,
        entry,
        question={"en": "May an organisation apply twice?"},
        answer={"en": "No: one proposal per applicant."},
    )
    entry.refresh_from_db()
    assert entry.published_at is not None
    assert entry.question == {"en": "May an organisation apply twice?"}
    assert AuditEntry.objects.filter(action__startswith="grants.call_answer.").count() == 2


def test_no_question_once_the_call_is_closed(cast, open_call, applicant) -> None:
    actions_calls.change_status(cast.officer, open_call, Call.Status.CLOSED, note="Early")
    with pytest.raises(PermissionDenied):
        items.ask_question(applicant.user, open_call, text="Late?", language="en")
    assert not CallAnswer.objects.exists()
