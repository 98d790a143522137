"""Writes to programmes and calls: one function per change, atomic, policy-checked
(``actor=None`` is the system: demo, commands) and audited.

A call's life is one state machine (:data:`TRANSITIONS`, :func:`change_status`). Closing needs
no task: :func:`effective_status` reads a published call whose closing time has passed as
closed, everywhere (pages, API, applications); staff may still close it explicitly, and a call
closed early has its closing time moved, which is logged as a change. After publication every
edit needs a reason and is logged as a :class:`CallChange` shown to applicants.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.grants import notices
from justicework.grants.call_checks import (
    add,
    aware,
    call_errors,
    jsonable,
    programme_errors,
    raise_if,
)
from justicework.grants.models import Call, CallChange, Programme

PROGRAMME_FIELDS = ("name", "currency", "cap_per_recipient", "cap_justification", "retention_years")
CALL_FIELDS = (
    "reference", "title", "text", "activity_types", "recipient_categories", "countries",
    "legal_forms", "currency", "budget", "amount_min", "amount_max", "amount_method",
    "amount_note", "cap_per_recipient", "cap_justification", "opens_at", "closes_at",
    "time_zone", "publication_links", "blind_review", "reviews_per_application",
    "one_proposal_per_applicant",
)  # fmt: skip
S = Call.Status
#: the call's life: each status and the statuses it may move to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.PUBLISHED,),
    S.PUBLISHED: (S.CLOSED,),
    S.CLOSED: (S.UNDER_REVIEW,),
    S.UNDER_REVIEW: (S.DECIDED,),
    S.DECIDED: (S.ARCHIVED,),
    S.ARCHIVED: (),
}
#: statuses in which the call's terms may still change (after publication: logged)
EDITABLE = (S.DRAFT, S.PUBLISHED)


def require(actor: User | None, action: str, obj: Any) -> None:
    if actor is not None:
        policy.require(actor, action, obj)


def effective_status(call: Call, now: dt.datetime | None = None) -> str:
    """The call's status as applicants live it: published and past its closing time is closed."""
    now = now or timezone.now()
    if call.status == S.PUBLISHED and call.closes_at <= now:
        return str(S.CLOSED)
    return str(call.status)


def is_open(call: Call, now: dt.datetime | None = None) -> bool:
    """Published, opened and not yet closed: applications are taken."""
    now = now or timezone.now()
    return call.status == S.PUBLISHED and call.opens_at <= now < call.closes_at


def _unknown(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})


def _apply(obj: Any, changes: dict[str, Any], check: Any) -> dict[str, Any]:
    """Set ``changes`` on ``obj``, check it, and put the old values back if it fails (nothing
    changed). Returns the old values of the fields that really changed."""
    before = {name: getattr(obj, name) for name in changes}
    for name, value in changes.items():
        setattr(obj, name, value)
    errors = check(obj)
    if errors:
        for name, value in before.items():
            setattr(obj, name, value)
        raise ValidationError(errors)
    return {name: old for name, old in before.items() if old != getattr(obj, name)}


# --- Programmes ---------------------------------------------------------------------------------


@transaction.atomic
def create_programme(actor: User | None, organisation: Organisation, **fields: Any) -> Programme:
    require(actor, "create_grant_programme", organisation)
    _unknown(fields, PROGRAMME_FIELDS)
    fields["name"] = str(fields.get("name", "")).strip()
    programme = Programme(organisation=organisation, **fields)
    raise_if(programme_errors(programme))
    programme.save()
    diff = {name: jsonable(getattr(programme, name)) for name in PROGRAMME_FIELDS}
    record(actor, "grants.programme.created", programme, diff=diff)
    return programme


@transaction.atomic
def update_programme(actor: User | None, programme: Programme, **changes: Any) -> Programme:
    require(actor, "change", programme)
    _unknown(changes, PROGRAMME_FIELDS)
    before = _apply(programme, changes, programme_errors)
    if before:
        programme.save(update_fields=list(before))
        after = {name: jsonable(getattr(programme, name)) for name in before}
        old = {name: jsonable(value) for name, value in before.items()}
        record(actor, "grants.programme.updated", programme, diff=diff_fields(old, after))
    return programme


# --- Calls --------------------------------------------------------------------------------------


def _free_reference() -> str:
    year = timezone.now().year
    number = Call.objects.filter(reference__startswith=f"CALL-{year}-").count() + 1
    while Call.objects.filter(reference=f"CALL-{year}-{number:03d}").exists():
        number += 1
    return f"CALL-{year}-{number:03d}"


def _normalised(fields: dict[str, Any], zone: str) -> dict[str, Any]:
    for name in ("opens_at", "closes_at"):
        if name in fields:
            fields[name] = aware(fields[name], zone)
    if isinstance(fields.get("countries"), list):
        fields["countries"] = [str(c).upper() for c in fields["countries"]]
    if "reference" in fields:
        fields["reference"] = str(fields["reference"] or "").strip().upper()
    return fields


def _check_reference(call: Call) -> None:
    if Call.objects.filter(reference=call.reference).exclude(pk=call.pk).exists():
        raise ValidationError({"reference": _("Another call has this reference.")})


@transaction.atomic
def create_call(actor: User | None, programme: Programme, **fields: Any) -> Call:
    """A draft call of ``programme``; its currency and maximum default to the programme's."""
    require(actor, "create_call", programme.organisation)
    require(actor, "change", programme)
    _unknown(fields, CALL_FIELDS)
    fields.setdefault("currency", programme.currency)
    fields.setdefault("cap_per_recipient", programme.cap_per_recipient)
    fields = _normalised(fields, str(fields.get("time_zone") or "UTC"))
    fields["reference"] = fields.get("reference") or _free_reference()
    call = Call(
        programme=programme, organisation_id=programme.organisation_id, created_by=actor, **fields
    )
    raise_if(call_errors(call, programme))
    _check_reference(call)
    call.save()
    diff = {name: jsonable(getattr(call, name)) for name in CALL_FIELDS}
    record(actor, "grants.call.created", call, diff=diff)
    return call


def log_change(
    actor: User | None, call: Call, field: str, old: Any, new: Any, note: str, *, tell: bool = True
) -> CallChange:
    """A change to a published call, as applicants read it (written by the actions only); the
    call's live applications are told (``tell=False``: the caller tells once for several)."""
    change = CallChange.objects.create(
        call=call, field=field, old=jsonable(old), new=jsonable(new), note=note, changed_by=actor
    )
    record(
        actor,
        "grants.call.change_logged",
        change,
        organisation_id=call.organisation_id,
        diff={"call_id": call.pk, "field": field, "note": note},
    )
    if tell:
        notices.tell_call_changed(call, [field], note)
    return change


def require_editable(call: Call, note: str) -> bool:
    """May the call's terms change now? Returns True when the change must be logged (the call
    is published); a published change needs its reason."""
    if call.status not in EDITABLE:
        raise ValidationError(
            {
                "status": _("A call that is %(status)s cannot change.")
                % {"status": call.get_status_display()}
            }
        )
    if call.status == S.PUBLISHED and not note.strip():
        raise ValidationError(
            {"note": _("Say why: applicants are shown every change after publication.")}
        )
    return call.status == S.PUBLISHED


@transaction.atomic
def update_call(actor: User | None, call: Call, *, note: str = "", **changes: Any) -> Call:
    require(actor, "change", call)
    _unknown(changes, CALL_FIELDS)
    logged = require_editable(call, note)
    changes = _normalised(changes, str(changes.get("time_zone") or call.time_zone))
    programme = call.programme
    before = _apply(call, changes, lambda c: call_errors(c, programme))
    if not before:
        return call
    _check_reference(call)
    call.updated_at = timezone.now()
    call.save(update_fields=[*before, "updated_at"])
    old = {name: jsonable(value) for name, value in before.items()}
    new = {name: jsonable(getattr(call, name)) for name in before}
    if logged:
        for name in before:
            log_change(actor, call, name, old[name], new[name], note.strip(), tell=False)
        notices.tell_call_changed(call, list(before), note)  # one notice for the whole edit
    record(actor, "grants.call.updated", call, diff={**diff_fields(old, new), "note": note})
    return call


def _publish_errors(call: Call) -> dict[str, list[str]]:
    errors = call_errors(call, call.programme)
    if not call.criteria.filter(kind="scored").exists():
        add(errors, "criteria", _("Add at least one scored award criterion."))
    if not call.questions.exists():
        add(errors, "questions", _("Add at least one question to the application form."))
    if call.closes_at <= timezone.now():
        add(errors, "closes_at", _("The closing time has passed."))
    return errors


@transaction.atomic
def change_status(actor: User | None, call: Call, status: str, *, note: str = "") -> Call:
    """Move ``call`` along its life (:data:`TRANSITIONS`). Publishing checks the whole call;
    closing before the closing time needs a reason and moves the closing time (logged)."""
    require(actor, "change", call)
    now = timezone.now()
    current = effective_status(call, now)
    if status not in TRANSITIONS.get(current, ()):
        wanted = S(status).label if status in S.values else status
        message = _("A call that is %(current)s cannot become %(status)s.")
        raise ValidationError({"status": message % {"current": S(current).label, "status": wanted}})
    if status == S.PUBLISHED:
        raise_if(_publish_errors(call))
    if status == S.CLOSED and call.closes_at > now:
        if not note.strip():
            raise ValidationError({"note": _("Say why the call closes before its closing time.")})
        log_change(actor, call, "closes_at", call.closes_at, now, note.strip())
        call.closes_at = now
    old = call.status
    call.status = status
    call.updated_at = now
    call.save(update_fields=["status", "closes_at", "updated_at"])
    record(actor, "grants.call.status_changed", call, diff={"status": [old, status], "note": note})
    return call
