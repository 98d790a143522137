"""Writes to case files, their charges and the case matrix: one function per change, atomic,
policy-checked (``actor=None`` is the system: demo, commands) and audited.

Every record a case links to must belong to the case's organisation and, for a person acting,
be one the policy lets them see: nobody links what they may not open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core import policy
from justicework.core.models import Membership, Organisation, User
from justicework.core.roles import Capability, roles_with
from justicework.law.catalogue import catalogue
from justicework.law.models import CaseFile, Charge, MatrixEntry

CASE_FIELDS = ("title", "country", "period_from", "period_to", "summary", "restricted")


def link_models() -> Mapping[str, type[Model]]:
    """The kinds of record a case relies on, by the name of its many-to-many field."""
    from justicework.evidence.models import Item
    from justicework.violations.models import Incident, Person, Source, Unit, Violation

    return {
        "suspect_persons": Person,
        "suspect_units": Unit,
        "incidents": Incident,
        "violations": Violation,
        "items": Item,
        "sources": Source,
    }


def _require(actor: User | None, action: str, obj: Any) -> None:
    if actor is not None:
        policy.require(actor, action, obj)


def _org_of(obj: Any) -> int:
    if hasattr(obj, "organisation_id"):
        return int(obj.organisation_id)
    return int(obj.incident.organisation_id)  # a violation belongs to its incident's org


def _check_record(actor: User | None, case: CaseFile, obj: Model, field: str) -> None:
    if _org_of(obj) != case.organisation_id:
        raise ValidationError({field: _("This record belongs to another organisation.")})
    if actor is not None and not policy.can(actor, "view", obj):
        raise ValidationError({field: _("You cannot see this record.")})


def _snapshot(case: CaseFile) -> dict[str, Any]:
    values = {name: getattr(case, name) for name in CASE_FIELDS}
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def _check_case(case: CaseFile) -> None:
    case.title = (case.title or "").strip()
    case.country = (case.country or "").upper()
    errors: dict[str, str] = {}
    if not case.title:
        errors["title"] = _("A case file needs a title.")
    if len(case.country) != 2 or pycountry.countries.get(alpha_2=case.country) is None:
        errors["country"] = _("Not a country code (ISO 3166-1, two letters).")
    if case.period_from and case.period_to and case.period_from > case.period_to:
        errors["period_to"] = _("The period ends before it starts.")
    if errors:
        raise ValidationError(errors)


def _check_team(case: CaseFile, users: Iterable[User]) -> list[User]:
    users = list(users)
    members = set(
        Membership.objects.filter(
            organisation_id=case.organisation_id,
            user__in=users,
            user__is_active=True,
            role__in=roles_with(Capability.RECORD_VIEW),
        ).values_list("user_id", flat=True)
    )
    outside = [str(user) for user in users if user.pk not in members]
    if outside:
        raise ValidationError(
            {"team": _("Not members who may see records: %(who)s.") % {"who": ", ".join(outside)}}
        )
    return users


@transaction.atomic
def create_case_file(
    actor: User | None,
    organisation: Organisation,
    *,
    title: str,
    country: str,
    team: Iterable[User] = (),
    **fields: Any,
) -> CaseFile:
    _require(actor, "create_case_file", organisation)
    unknown = sorted(set(fields) - set(CASE_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    case = CaseFile(
        organisation=organisation, title=title, country=country, created_by=actor, **fields
    )
    _check_case(case)
    members = _check_team(case, team)
    case.save()
    case.team.set(members)
    record(actor, "law.case.created", case, diff={**_snapshot(case), "team": _ids(members)})
    return case


@transaction.atomic
def update_case_file(actor: User | None, case: CaseFile, **changes: Any) -> CaseFile:
    _require(actor, "change", case)
    unknown = sorted(set(changes) - set(CASE_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    before = _snapshot(case)
    for name, value in changes.items():
        setattr(case, name, value)
    try:
        _check_case(case)
    except ValidationError:
        case.refresh_from_db()
        raise
    case.updated_at = timezone.now()
    case.save()
    record(actor, "law.case.updated", case, diff=diff_fields(before, _snapshot(case)))
    return case


def _ids(objs: Iterable[Model]) -> list[int]:
    return sorted(int(obj.pk) for obj in objs)


@transaction.atomic
def set_team(actor: User | None, case: CaseFile, users: Iterable[User]) -> CaseFile:
    _require(actor, "change", case)
    members = _check_team(case, users)
    before = _ids(case.team.all())
    case.team.set(members)
    record(actor, "law.case.team_set", case, diff={"team": [before, _ids(members)]})
    return case


@transaction.atomic
def link_records(actor: User | None, case: CaseFile, field: str, records: Iterable[Model]) -> None:
    """Add ``records`` to the case's ``field`` (``suspect_persons``, ``suspect_units``,
    ``incidents``, ``violations``, ``items``, ``sources``)."""
    _require(actor, "change", case)
    model = link_models().get(field)
    if model is None:
        raise ValidationError({field: _("A case file holds no such records.")})
    records = list(records)
    for obj in records:
        if not isinstance(obj, model):
            raise ValidationError({field: _("This is not a record of that kind.")})
        _check_record(actor, case, obj, field)
    getattr(case, field).add(*records)
    record(actor, "law.case.linked", case, diff={field: _ids(records)})


@transaction.atomic
def unlink_record(actor: User | None, case: CaseFile, field: str, obj: Model) -> None:
    _require(actor, "change", case)
    if field not in link_models():
        raise ValidationError({field: _("A case file holds no such records.")})
    getattr(case, field).remove(obj)
    record(actor, "law.case.unlinked", case, diff={field: [obj.pk]})


@transaction.atomic
def add_charge(
    actor: User | None, case: CaseFile, *, crime_id: str, mode_id: str, note: str = ""
) -> Charge:
    _require(actor, "change", case)
    book = catalogue()
    errors = {}
    if crime_id not in {crime.id for crime in book.crimes}:
        errors["crime_id"] = _("%(id)s is not a crime of the catalogue.") % {"id": crime_id}
    elif not book.crime(crime_id).elements:
        errors["crime_id"] = _("This crime has no elements yet; it cannot be charged.")
    if mode_id not in {mode.id for mode in book.modes_of_liability}:
        errors["mode_id"] = _("%(id)s is not a mode of liability.") % {"id": mode_id}
    if errors:
        raise ValidationError(errors)
    if Charge.objects.filter(case=case, crime_id=crime_id, mode_id=mode_id).exists():
        raise ValidationError({"crime_id": _("The case already holds this charge.")})
    charge = Charge.objects.create(case=case, crime_id=crime_id, mode_id=mode_id, note=note)
    record(
        actor,
        "law.charge.added",
        charge,
        organisation_id=case.organisation_id,
        diff={"case": case.pk, "crime_id": crime_id, "mode_id": mode_id},
    )
    return charge


@transaction.atomic
def remove_charge(actor: User | None, charge: Charge) -> None:
    _require(actor, "change", charge)
    if charge.entries.exists():
        raise ValidationError({"charge": _("Remove the charge's matrix entries first.")})
    diff = {"case": charge.case_id, "crime_id": charge.crime_id, "mode_id": charge.mode_id}
    organisation_id = charge.case.organisation_id
    record(actor, "law.charge.removed", charge, organisation_id=organisation_id, diff=diff)
    charge.delete()


#: a matrix entry's link field -> the case's many-to-many field it is added to
ENTRY_LINKS = {
    "violation": "violations",
    "incident": "incidents",
    "item": "items",
    "source": "sources",
}


def _element_numbers(charge: Charge, part: str) -> set[int]:
    book = catalogue()
    if part == MatrixEntry.Part.CRIME:
        return {e.number for e in book.crime(charge.crime_id).elements}
    modes = {mode.id: mode for mode in book.modes_of_liability}
    return {e.number for e in modes[charge.mode_id].elements}


@transaction.atomic
def add_matrix_entry(
    actor: User | None,
    charge: Charge,
    *,
    part: str,
    element: int,
    link: Model,
    bearing: str,
    strength: str,
    note: str = "",
) -> MatrixEntry:
    """Link one fact or piece of evidence to an element of ``charge``; the record is added to
    the case's records too (the case relies on it)."""
    _require(actor, "change", charge)
    case = charge.case
    errors: dict[str, str] = {}
    if part not in MatrixEntry.Part.values:
        errors["part"] = _("Choose the crime or the mode of liability.")
    elif element not in _element_numbers(charge, part):
        errors["element"] = _("No element %(n)s in this charge.") % {"n": element}
    errors |= _assessment_errors({"bearing": bearing, "strength": strength, "note": note})
    field = next((f for f, m in _entry_models().items() if isinstance(link, m)), None)
    if field is None:
        errors["link"] = _("Link a violation, an incident, an evidence item or a source.")
    if errors:
        raise ValidationError(errors)
    assert field is not None  # for mypy: errors were raised above
    _check_record(actor, case, link, "link")
    entry = MatrixEntry.objects.create(
        charge=charge,
        part=part,
        element=element,
        bearing=bearing,
        strength=strength,
        note=note,
        created_by=actor,
        **{field: link},
    )
    getattr(case, ENTRY_LINKS[field]).add(link)
    diff = {"charge": charge.pk, "part": part, "element": element, field: link.pk}
    diff |= {"bearing": bearing, "strength": strength}
    record(actor, "law.matrix.entry_added", entry, organisation_id=case.organisation_id, diff=diff)
    return entry


#: what may change in an entry once made (its cell and record stay: remove and add instead)
ENTRY_EDITABLE = ("bearing", "strength", "note")
NOTE_MAX = 5000


def _assessment_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """The errors of an entry's ``bearing``, ``strength`` and ``note`` (those given)."""
    errors: dict[str, str] = {}
    if "bearing" in values and values["bearing"] not in MatrixEntry.Bearing.values:
        errors["bearing"] = _("Choose supports or contradicts.")
    if "strength" in values and values["strength"] not in MatrixEntry.Strength.values:
        errors["strength"] = _("Choose none, weak, moderate or strong.")
    note = values.get("note", "")
    if not isinstance(note, str):
        errors["note"] = _("The note must be text.")
    elif len(note) > NOTE_MAX:
        errors["note"] = _("The note is longer than %(max)s characters.") % {"max": NOTE_MAX}
    return errors


@transaction.atomic
def update_matrix_entry(actor: User | None, entry: MatrixEntry, **changes: Any) -> MatrixEntry:
    """Change an entry's assessment (``bearing``, ``strength``, ``note``); any bad value
    refuses the whole change, naming its field."""
    _require(actor, "change", entry)
    errors = {
        name: _("This field cannot be changed here.")
        for name in sorted(set(changes) - set(ENTRY_EDITABLE))
    }
    errors |= _assessment_errors(changes)
    if errors:
        raise ValidationError(errors)
    before = {name: getattr(entry, name) for name in ENTRY_EDITABLE}
    # the note's text stays out of the audit log, as it does when the entry is added
    diff = diff_fields(before, {**before, **changes}, sensitive=("note",))
    if not diff:
        return entry
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.save(update_fields=sorted(diff))
    organisation_id = entry.charge.case.organisation_id
    diff |= {"charge": entry.charge_id, "part": entry.part, "element": entry.element}
    record(actor, "law.matrix.entry_updated", entry, organisation_id=organisation_id, diff=diff)
    return entry


def _entry_models() -> Mapping[str, type[Model]]:
    links = link_models()
    return {field: links[many] for field, many in ENTRY_LINKS.items()}


@transaction.atomic
def remove_matrix_entry(actor: User | None, entry: MatrixEntry) -> None:
    _require(actor, "change", entry)
    organisation_id = entry.charge.case.organisation_id
    diff = {"charge": entry.charge_id, "part": entry.part, "element": entry.element}
    record(actor, "law.matrix.entry_removed", entry, organisation_id=organisation_id, diff=diff)
    entry.delete()
