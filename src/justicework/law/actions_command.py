"""Writes to the per-element art. 28 records of a case file: one function per change, atomic,
policy-checked (``change`` of the case; ``actor=None`` is the system: demo, commands) and
audited. Each error names its field; nothing is written when one is raised.

A record is about a suspect of the case (a person or a unit of its suspects) under a mode of
superior responsibility the case charges (art. 28(a) or 28(b)), on an element of that mode as
the catalogue numbers it, and links exactly one fact or piece of evidence of the case's
organisation that the acting person may see; the linked record joins the case's records, as a
matrix entry's does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core import policy
from justicework.core.models import User
from justicework.law.actions_cases import ENTRY_LINKS, link_models
from justicework.law.catalogue import Element, catalogue
from justicework.law.models import CaseFile, CommandElementRecord
from justicework.law.models.command_records import MODES
from justicework.violations.models import Person, Unit, Violation

#: what may be changed on a record (its suspect, element and link stay: remove and add instead)
RECORD_FIELDS = frozenset({"bearing", "strength", "note", "concerns_from", "concerns_to"})
NOTE_MAX_LENGTH = 5000


def mode_elements(mode_id: str) -> tuple[Element, ...]:
    """The elements of a mode of superior responsibility, as the catalogue defines them."""
    modes = {mode.id: mode for mode in catalogue().modes_of_liability}
    return modes[mode_id].elements if mode_id in MODES and mode_id in modes else ()


def _require(actor: User | None, action: str, obj: Any) -> None:
    if actor is not None:
        policy.require(actor, action, obj)


def _suspect_field(actor: User | None, case: CaseFile, suspect: Model) -> tuple[str, str]:
    """``("suspect_person" | "suspect_unit", "")``, or ``("", the error)``."""
    if isinstance(suspect, Person):
        field, listed = "suspect_person", case.suspect_persons.filter(pk=suspect.pk).exists()
    elif isinstance(suspect, Unit):
        field, listed = "suspect_unit", case.suspect_units.filter(pk=suspect.pk).exists()
    else:
        return "", _("A suspect is a person or a unit.")
    if not listed:
        return "", _("This is not one of the case's suspects: add it to the case first.")
    if actor is not None and not policy.can(actor, "view", suspect):
        return "", _("You cannot see this record.")
    return field, ""


def _link_field(actor: User | None, case: CaseFile, link: Model) -> tuple[str, str]:
    models = link_models()
    field = next((f for f, many in ENTRY_LINKS.items() if isinstance(link, models[many])), "")
    if not field:
        return "", _("Link a violation, an incident, an evidence item or a source.")
    owner = link.incident if isinstance(link, Violation) else link
    if getattr(owner, "organisation_id", None) != case.organisation_id:
        return "", _("This record belongs to another organisation.")
    if actor is not None and not policy.can(actor, "view", link):
        return "", _("You cannot see this record.")
    return field, ""


def _check_values(values: dict[str, Any], errors: dict[str, str]) -> None:
    if values.get("bearing") not in CommandElementRecord.Bearing.values:
        errors["bearing"] = _("Choose supports or contradicts.")
    if values.get("strength") not in CommandElementRecord.Strength.values:
        errors["strength"] = _("Choose none, weak, moderate or strong.")
    start, end = values.get("concerns_from"), values.get("concerns_to")
    for name in ("concerns_from", "concerns_to"):
        if values.get(name) is not None and not isinstance(values[name], dt.date):
            errors[name] = _("Enter a date.")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        errors["concerns_to"] = _("The period ends before it starts.")
    if len(values.get("note") or "") > NOTE_MAX_LENGTH:
        errors["note"] = _("The note is longer than %(n)d characters.") % {"n": NOTE_MAX_LENGTH}


def _check_mode(case: CaseFile, mode_id: str, element: int, errors: dict[str, str]) -> None:
    if mode_id not in MODES:
        errors["mode_id"] = _("Choose art. 28(a) or art. 28(b).")
    elif not case.charges.filter(mode_id=mode_id).exists():
        errors["mode_id"] = _(
            "The case holds no charge under art. %(mode)s: add one before recording its elements."
        ) % {"mode": mode_id}
    elif element not in {e.number for e in mode_elements(mode_id)}:
        errors["element"] = _("No element %(n)s in art. %(mode)s.") % {
            "n": element,
            "mode": mode_id,
        }


def _snapshot(rec: CommandElementRecord) -> dict[str, Any]:
    out = {name: getattr(rec, name) for name in sorted(RECORD_FIELDS)}
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in out.items()}


@transaction.atomic
def add_command_record(
    actor: User | None,
    case: CaseFile,
    *,
    suspect: Model,
    mode_id: str,
    element: int,
    link: Model,
    **values: Any,
) -> CommandElementRecord:
    """Record a fact or piece of evidence bearing on an element of art. 28 for ``suspect``."""
    _require(actor, "change", case)
    unknown = sorted(set(values) - RECORD_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    values["note"] = (values.get("note") or "").strip()
    errors: dict[str, str] = {}
    suspect_field, problem = _suspect_field(actor, case, suspect)
    if problem:
        errors["suspect"] = problem
    _check_mode(case, mode_id, element, errors)
    link_field, problem = _link_field(actor, case, link)
    if problem:
        errors["link"] = problem
    _check_values(values, errors)
    if errors:
        raise ValidationError(errors)
    rec = CommandElementRecord.objects.create(
        case=case,
        mode_id=mode_id,
        element=element,
        created_by=actor,
        **{suspect_field: suspect, link_field: link},
        **values,
    )
    getattr(case, ENTRY_LINKS[link_field]).add(link)
    diff = {"case": case.pk, suspect_field: suspect.pk, "mode_id": mode_id, "element": element}
    diff |= {link_field: link.pk, **_snapshot(rec)}
    record(actor, "law.command_record.added", rec, organisation_id=case.organisation_id, diff=diff)
    return rec


@transaction.atomic
def update_command_record(
    actor: User | None, rec: CommandElementRecord, **changes: Any
) -> CommandElementRecord:
    _require(actor, "change", rec)
    unknown = sorted(set(changes) - RECORD_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    if "note" in changes:
        changes["note"] = (changes["note"] or "").strip()
    before = _snapshot(rec)
    errors: dict[str, str] = {}
    _check_values({**_snapshot_values(rec), **changes}, errors)
    if errors:
        raise ValidationError(errors)
    for name, value in changes.items():
        setattr(rec, name, value)
    rec.updated_at = timezone.now()
    rec.save()
    organisation_id = rec.case.organisation_id
    diff = diff_fields(before, _snapshot(rec))
    record(actor, "law.command_record.updated", rec, organisation_id=organisation_id, diff=diff)
    return rec


def _snapshot_values(rec: CommandElementRecord) -> dict[str, Any]:
    """The record's values as they are (dates as dates), to check a change against."""
    return {name: getattr(rec, name) for name in RECORD_FIELDS}


@transaction.atomic
def remove_command_record(actor: User | None, rec: CommandElementRecord) -> None:
    _require(actor, "change", rec)
    organisation_id = rec.case.organisation_id
    diff = {"case": rec.case_id, "mode_id": rec.mode_id, "element": rec.element}
    record(actor, "law.command_record.removed", rec, organisation_id=organisation_id, diff=diff)
    rec.delete()
