"""Re-imports that update violations (``ViolationSchema`` takes these methods; the generic part
is ``dataio.reimport`` and ``dataio.updates``).

Each import field names one attribute of one record of the row: the incident, the act
(violation), its place (location) or its victim (person). Known fields are listed; a field
added later is found by its name (``incident_<x>``, ``location_<x>``, ``victim_<x>`` for a
person's field or the act's, or an act's or a place's own field), so it is compared and updated
without a change here as long as the update action accepts the attribute. Reference fields
(the incident reference, an existing victim's code, units) are not updated by a re-import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Prefetch
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.actors import Actor, Requester
from justicework.core.models import Organisation, User
from justicework.dataio.schema import StoredRow
from justicework.violations import actions
from justicework.violations.actions import INCIDENT_FIELDS, LOCATION_FIELDS, VIOLATION_FIELDS
from justicework.violations.dates import DatePrecision
from justicework.violations.models import Incident, Location, Person, PersonRole, Violation

_EXPLICIT: dict[str, tuple[str, str]] = {
    "incident_title": ("incident", "title"),
    "incident_description": ("incident", "description"),
    "country": ("incident", "country"),
    "context": ("incident", "context"),
    "date": ("violation", "start_date"),
    "victim_name": ("person", "full_name"),
    "victim_sex": ("person", "sex"),
    "victim_date_of_birth": ("person", "date_of_birth"),
}
_NOT_UPDATED = frozenset(
    {
        "incident_ref",
        "victim_code",
        "victim_ref",
        "perpetrator_unit_ref",
        "perpetrator_unit_name",
        "perpetrator_unit_kind",
        "perpetrator_involvement",
    }
)
_PERSON_FIELDS = frozenset({"status", *Person.IDENTITY_FIELDS})
_MODELS: dict[str, type[Model]] = {
    "incident": Incident,
    "violation": Violation,
    "location": Location,
    "person": Person,
}


def target(name: str) -> tuple[str, str] | None:
    """(record, attribute) an import field is stored in, or None (not updated)."""
    if name in _EXPLICIT:
        return _EXPLICIT[name]
    if name in _NOT_UPDATED:
        return None
    if name.startswith("incident_") and name[9:] in INCIDENT_FIELDS:
        return "incident", name[9:]
    if name.startswith("location_") and name[9:] in LOCATION_FIELDS:
        return "location", name[9:]
    if name.startswith("victim_") and name[7:] in _PERSON_FIELDS:
        return "person", name[7:]
    if name in LOCATION_FIELDS:
        return "location", name
    if name in VIOLATION_FIELDS:
        return "violation", name
    return None


def _empty(record: str, attribute: str) -> Any:
    """What the import stores for an empty cell: the field's default, '' or None."""
    field: Any = _MODELS[record]._meta.get_field(attribute)  # a concrete field (``target``)
    if field.has_default():
        return field.get_default()
    return None if field.null else ""


def _records(violation: Violation) -> dict[str, Any]:
    roles = list(violation.person_roles.all())
    return {
        "violation": violation,
        "incident": violation.incident,
        "location": violation.location,
        "person": roles[0].person if roles else None,
    }


def _stored(name: str, records: dict[str, Any]) -> tuple[bool, Any]:
    """(readable, value as a row would hold it)."""
    where = target(name)
    if where is None:
        return False, None
    record = records[where[0]]
    if record is None:
        return True, None
    if name == "date":
        violation = records["violation"]
        return True, (
            (violation.start_date, violation.date_precision) if violation.start_date else None
        )
    value = getattr(record, where[1])
    if value == _empty(*where):
        return True, None
    return True, value


class ViolationUpdates:
    """The re-import half of the violations row schema (``dataio.schema.Schema`` hooks)."""

    update_action = "update_imported_rows"
    #: Person fields shown in a diff only to whom may reveal the person's identity.
    identity_attributes = frozenset(Person.IDENTITY_FIELDS)

    fields: Any

    def _violations(self, user: Requester, organisation: Organisation, ids: Iterable[str]) -> Any:
        numbers = [int(i) for i in ids if str(i).isdigit()]
        queryset = (
            policy.visible(user, Violation, "view") if user is not None else Violation.objects
        )
        return (
            queryset.filter(organisation=organisation, pk__in=numbers)
            .select_related("incident", "location")
            .prefetch_related(
                Prefetch(
                    "person_roles",
                    queryset=PersonRole.objects.filter(role=PersonRole.Role.VICTIM)
                    .select_related("person")
                    .order_by("pk"),
                )
            )
        )

    def stored_values(
        self, organisation: Organisation, object_ids: list[str], user: Requester = None
    ) -> dict[str, StoredRow]:
        names = [f.name for f in self.fields]
        identity = frozenset(
            name
            for name in names
            if (where := target(name))
            and where[0] == "person"
            and where[1] in self.identity_attributes
        )
        result: dict[str, StoredRow] = {}
        for violation in self._violations(user, organisation, object_ids):
            records = _records(violation)
            values = {}
            for name in names:
                readable, value = _stored(name, records)
                if readable:
                    values[name] = value
            result[str(violation.pk)] = StoredRow(values, identity)
        return result

    def may_see_identity(
        self, user: Requester, organisation: Organisation, object_ids: list[str]
    ) -> set[str]:
        if user is None:
            return set()
        persons = policy.visible(user, Person, "reveal_identity").filter(organisation=organisation)
        return {
            str(pk)
            for pk in PersonRole.objects.filter(
                violation_id__in=[int(i) for i in object_ids if str(i).isdigit()],
                role=PersonRole.Role.VICTIM,
                person__in=persons,
            ).values_list("violation_id", flat=True)
        }

    def identity_shown(self, user: User, organisation: Organisation, object_ids: list[str]) -> None:
        """Each victim whose identity a diff shows is read through ``reveal_identity``
        (need-to-know checked again, audited as every identity read)."""
        persons = Person.objects.filter(
            organisation=organisation,
            roles__violation_id__in=[int(i) for i in object_ids],
            roles__role=PersonRole.Role.VICTIM,
        ).distinct()
        for person in persons:
            actions.reveal_identity(user, person)

    def row_value(self, name: str, values: dict[str, Any]) -> Any:
        value = values.get(name)
        if name == "date" and value is not None:
            start, precision = value
            return start, DatePrecision.RANGE if values.get("end_date") else precision
        return value

    def display_value(self, name: str, value: Any) -> str:
        if name == "date" and isinstance(value, tuple):
            start, precision = value
            cut = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7}.get(precision)
            text = start.isoformat()[:cut]
            return str(text)
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(super().display_value(name, value))  # type: ignore[misc]  # the Schema's

    def update_rows(
        self, actor: Actor, organisation: Organisation, changes: list[Any], reason: str
    ) -> None:
        by_id = {
            str(v.pk): v
            for v in self._violations(None, organisation, [c.object_id for c in changes])
        }
        for change in changes:
            violation = by_id.get(change.object_id)
            try:
                if violation is None:
                    raise ValidationError(_("its record no longer exists."))
                self._update(actor, _records(violation), change.values, reason)
            except PermissionDenied as exc:
                raise ValidationError(
                    _("Row %(row)s: %(why)s") % {"row": change.number, "why": exc}
                ) from exc
            except ValidationError as exc:
                raise ValidationError(
                    [
                        _("Row %(row)s: %(why)s") % {"row": change.number, "why": m}
                        for m in exc.messages
                    ]
                ) from exc

    def _update(
        self, actor: Actor, records: dict[str, Any], values: dict[str, Any], reason: str
    ) -> None:
        """One row's changes, record by record, through the update actions."""
        wanted: dict[str, dict[str, Any]] = {}
        for name, value in values.items():
            where = target(name)
            if where is None:
                continue
            changes = wanted.setdefault(where[0], {})
            if name == "date":
                changes["start_date"], changes["date_precision"] = (
                    value if value is not None else (None, DatePrecision.UNKNOWN)
                )
            else:
                changes[where[1]] = value if value is not None else _empty(*where)
        if "incident" in wanted:
            actions.update_incident(actor, records["incident"], reason=reason, **wanted["incident"])
        if "location" in wanted:
            self._update_place(actor, records, wanted["location"])
        if "violation" in wanted:
            actions.update_violation(actor, records["violation"], **wanted["violation"])
        if "person" in wanted:
            if records["person"] is None:
                raise ValidationError(
                    _("the act has no victim to correct; link one on the incident's page.")
                )
            actions.update_person(actor, records["person"], **wanted["person"])

    @staticmethod
    def _update_place(actor: Actor, records: dict[str, Any], changes: dict[str, Any]) -> None:
        location = records["location"]
        if location is not None:
            actions.update_location(actor, location, **changes)
            return
        incident = records["incident"]
        filled = {k: v for k, v in changes.items() if v not in (None, "")}
        if filled:
            place = actions.add_location(actor, incident, country=incident.country, **filled)
            actions.update_violation(actor, records["violation"], location=place)
