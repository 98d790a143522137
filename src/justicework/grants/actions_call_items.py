"""Writes to a call's award criteria, its application form and its questions and answers:
atomic, policy-checked (``change`` on the call; ``ask`` for a question) and audited.

Criteria and questions change freely while the call is a draft; after publication each change
needs a reason and is logged as a ``CallChange`` (``criterion:relevance``, before and after)
that applicants see on the call's page. A decided or archived call does not change.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core.models import User
from justicework.grants import ranking_store
from justicework.grants.actions_calls import log_change, require, require_editable
from justicework.grants.call_checks import (
    CODE,
    Errors,
    activity_type_errors,
    add,
    jsonable,
    model_errors,
)
from justicework.grants.fields import validate_required_texts, validate_texts
from justicework.grants.models import Call, CallAnswer, Criterion, Question

CRITERION_FIELDS = (
    "code", "title", "guidance", "kind", "priority", "weight", "min_score", "max_score",
    "threshold",
)  # fmt: skip
QUESTION_FIELDS = (
    "code", "section", "prompt", "help_text", "kind", "required", "max_length", "choices",
)  # fmt: skip
Item = Criterion | Question
I = TypeVar("I", Criterion, Question)  # noqa: E741 - the item type


def _code_errors(item: Item, errors: Errors) -> None:
    if not CODE.match(item.code or ""):
        add(errors, "code", _("1 to 40 small letters, digits, “-” or “_”."))
    elif (
        type(item).objects.filter(call_id=item.call_id, code=item.code).exclude(pk=item.pk).exists()
    ):
        add(errors, "code", _("Another row of this call has this code."))


def criterion_errors(item: Criterion) -> Errors:
    errors = model_errors(item, ["call"])
    _code_errors(item, errors)
    if isinstance(item.weight, Decimal) and item.weight <= 0:
        add(errors, "weight", _("A weight is above zero."))
    low, high = item.min_score, item.max_score
    if isinstance(low, int) and isinstance(high, int):
        if low >= high:
            add(errors, "max_score", _("The highest score is above the lowest."))
        elif item.threshold is not None and not low <= item.threshold <= high:
            add(errors, "threshold", _("The threshold lies between the lowest and highest score."))
    return errors


def question_errors(item: Question) -> Errors:
    errors = model_errors(item, ["call"])
    _code_errors(item, errors)
    if item.kind == Question.Kind.CHOICE:
        message = activity_type_errors(item.choices)
        if message or not item.choices:
            add(errors, "choices", message or _("Give the choices of the list."))
    elif item.choices:
        add(errors, "choices", _("Only a question with a list of choices has choices."))
    return errors


SPECS: dict[type[Any], tuple[tuple[str, ...], Any, str]] = {
    Criterion: (CRITERION_FIELDS, criterion_errors, "criterion"),
    Question: (QUESTION_FIELDS, question_errors, "question"),
}


def snapshot(item: Item) -> dict[str, Any]:
    fields = SPECS[type(item)][0]
    return {name: jsonable(getattr(item, name)) for name in fields}


def _check_fields(model: type[Any], fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(SPECS[model][0]))
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})


def _audit(actor: User | None, verb: str, item: Item, diff: dict[str, Any]) -> None:
    noun = SPECS[type(item)][2]
    record(
        actor,
        f"grants.{noun}.{verb}",
        item,
        organisation_id=item.call.organisation_id,
        diff={"call_id": item.call_id, **diff},
    )


def _rescore(item: Item) -> None:
    """A criterion's weight, threshold or kind changes the ranking's stored totals: rewrite the
    call's (``grants.ranking_store``; a call with no review has none to rewrite)."""
    if isinstance(item, Criterion):
        ranking_store.refresh(item.call_id)


@transaction.atomic
def add_item(actor: User | None, call: Call, model: type[I], *, note: str = "", **fields: Any) -> I:
    """A criterion or question at the end of the call's list."""
    require(actor, "change", call)
    logged = require_editable(call, note)
    _check_fields(model, fields)
    last = model.objects.filter(call=call).aggregate(last=Max("order"))["last"]
    item = model(call=call, order=(last or 0) + 1, **fields)
    checker = SPECS[model][1]
    errors = checker(item)
    if errors:
        raise ValidationError(errors)
    item.save()
    _rescore(item)
    after = snapshot(item)
    if logged:
        log_change(actor, call, f"{SPECS[model][2]}:{item.code}", None, after, note.strip())
    _audit(actor, "added", item, {**after, "note": note})
    return item


@transaction.atomic
def update_item(actor: User | None, item: I, *, note: str = "", **changes: Any) -> I:
    call = item.call
    require(actor, "change", call)
    logged = require_editable(call, note)
    _check_fields(type(item), changes)
    before = snapshot(item)
    for name, value in changes.items():
        setattr(item, name, value)
    errors = SPECS[type(item)][1](item)
    if errors:
        item.refresh_from_db()
        raise ValidationError(errors)
    after = snapshot(item)
    if after == before:
        return item
    item.save()
    _rescore(item)
    if logged:
        label = f"{SPECS[type(item)][2]}:{before['code']}"
        log_change(actor, call, label, before, after, note.strip())
    _audit(actor, "updated", item, {"before": before, "after": after, "note": note})
    return item


@transaction.atomic
def remove_item(actor: User | None, item: Item, *, note: str = "") -> None:
    call = item.call
    require(actor, "change", call)
    logged = require_editable(call, note)
    before = snapshot(item)
    if logged:
        log_change(actor, call, f"{SPECS[type(item)][2]}:{item.code}", before, None, note.strip())
    _audit(actor, "removed", item, {**before, "note": note})
    item.delete()
    _rescore(item)


@transaction.atomic
def reorder_items(
    actor: User | None, call: Call, model: type[Item], codes: list[str], *, note: str = ""
) -> None:
    """Put the call's criteria (or questions) in the order of ``codes`` (each code once)."""
    require(actor, "change", call)
    logged = require_editable(call, note)
    items = {item.code: item for item in model.objects.filter(call=call)}
    if sorted(codes) != sorted(items):
        raise ValidationError({"order": _("Give every code of the list once.")})
    before = [item.code for item in sorted(items.values(), key=lambda i: (i.order, i.pk))]
    if before == codes:
        return
    for position, code in enumerate(codes, start=1):
        items[code].order = position
    model.objects.bulk_update(list(items.values()), ["order"])  # type: ignore[arg-type]  # rows of ``model`` only
    if model is Criterion:  # the stored entries list the criteria below threshold in order
        ranking_store.refresh(call.pk)
    noun = SPECS[model][2]
    if logged:
        log_change(actor, call, f"{noun}:order", before, codes, note.strip())
    record(
        actor,
        f"grants.{noun}.reordered",
        call,
        diff={"before": before, "after": codes, "note": note},
    )


# --- Questions and answers ----------------------------------------------------------------------


@transaction.atomic
def ask_question(actor: User, call: Call, *, text: str, language: str) -> CallAnswer:
    """A question about a published call, from anyone signed in; staff answer it."""
    require(actor, "ask", call)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"question": _("Write your question.")})
    if len(text) > 2000:
        raise ValidationError({"question": _("Use at most 2,000 characters.")})
    entry = CallAnswer(call=call, question={language: text}, asked_by=actor)
    try:
        entry.full_clean(exclude=["call", "asked_by"])
    except ValidationError as exc:
        raise ValidationError({"question": exc.messages}) from exc
    entry.save()
    record(
        actor,
        "grants.call_answer.asked",
        entry,
        organisation_id=call.organisation_id,
        diff={"call_id": call.pk, "language": language},
    )
    return entry


def _texts(value: Any, field: str, required: bool) -> dict[str, str]:
    try:
        (validate_required_texts if required else validate_texts)(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    return {code: text.strip() for code, text in value.items() if text.strip()}


@transaction.atomic
def answer_question(
    actor: User | None,
    entry: CallAnswer,
    *,
    answer: dict[str, str],
    question: dict[str, str] | None = None,
    publish: bool = True,
) -> CallAnswer:
    """Answer (and, if asked, publish) a question; staff may reword it so that it names nobody."""
    require(actor, "change", entry)
    before = {
        "answer": entry.answer,
        "question": entry.question,
        "published": bool(entry.published_at),
    }
    entry.answer = _texts(answer, "answer", required=publish)
    if question is not None:
        entry.question = _texts(question, "question", required=True)
    if publish and entry.published_at is None:
        entry.published_at = timezone.now()
    elif not publish:
        entry.published_at = None
    entry.save()
    after = {"answer": entry.answer, "question": entry.question, "published": publish}
    record(
        actor,
        "grants.call_answer.answered",
        entry,
        organisation_id=entry.call.organisation_id,
        diff={"call_id": entry.call_id, "before": before, "after": after},
    )
    return entry


def add_criterion(actor: User | None, call: Call, *, note: str = "", **fields: Any) -> Criterion:
    return add_item(actor, call, Criterion, note=note, **fields)


def add_question(actor: User | None, call: Call, *, note: str = "", **fields: Any) -> Question:
    return add_item(actor, call, Question, note=note, **fields)
