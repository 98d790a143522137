"""Creating many violations at once (importer, API bulk, demo): every row validated first,
then one write, one audit entry per violation and one reindex of the touched incidents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import Event, append_many
from justicework.core import bulk, policy
from justicework.core.models import Organisation, User
from justicework.violations.actions._bulk import (
    BulkRowErrors,
    NewPerson,
    clean_given,
    resolve,
)
from justicework.violations.actions._common import (
    VIOLATION_FIELDS,
    actor_or_none,
    require,
)
from justicework.violations.actions.violations import (
    check_violation_links,
    inherit_dates,
)
from justicework.violations.indexing import reindex_incidents
from justicework.violations.models import (
    Incident,
    Location,
    Person,
    PersonRole,
    VictimGroup,
    Violation,
)

BULK_ROW_FIELDS = VIOLATION_FIELDS | {"incident", "victim"}


def _clean_row(
    violation: Violation, given: Iterable[str], cleaned: dict[Any, Any] | None = None
) -> None:
    """What ``full_clean`` checks for a bulk row, limited to the fields the row sets (the
    others hold valid defaults or the incident's dates), much cheaper than ``full_clean``."""
    clean_given(violation, given, always=("type",), memo=cleaned)


class _Rows:
    """The validation pass of :func:`bulk_create_violations`: rows become unsaved violations
    and their victims, or ``(row, field, message)`` errors."""

    def __init__(
        self, actor: User | None, organisation: Organisation, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        org_id = self.org_id = organisation.pk
        self.actor = actor
        self.tables = {
            "incident": resolve(rows, "incident", Incident, org_id, "pk"),
            "victim": resolve(rows, "victim", Person, org_id, "code"),
            "location": resolve(rows, "location", Location, org_id, "pk"),
            "victim_group": resolve(rows, "victim_group", VictimGroup, org_id, "code"),
        }
        creator = actor_or_none(actor)
        self.now = timezone.now()
        self.errors: list[tuple[int, str, str]] = []
        self.violations: list[Violation] = []
        self.victims: list[Person | NewPerson | None] = []
        self.allowed: dict[int, bool] = {}
        self.cleaned: dict[Any, Any] = {}
        # Every row starts from one template (bulk.maker: the defaults evaluated once); a
        # row's own fields (attname == name) replace its values.
        self.new_violation = bulk.maker(
            Violation,
            organisation_id=org_id,
            created_by_id=creator.pk if creator is not None else None,
            created_at=self.now,
            updated_at=self.now,
        )

    def lookup(self, row: Mapping[str, Any], key: str, index: int) -> Any:
        value = row.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, Model | NewPerson):
            if getattr(value, "organisation_id", None) != self.org_id:
                self.errors.append((index, key, _("This record belongs to another organisation.")))
                return None
            return value
        table = self.tables[key]
        obj = table.get(value) or table.get(str(value))
        if obj is None:
            self.errors.append((index, key, _("%(value)s was not found.") % {"value": value}))
        return obj

    def incident(self, row: Mapping[str, Any], index: int) -> Incident | None:
        """The row's incident, if it names one the actor may add violations to."""
        incident: Incident | None = self.lookup(row, "incident", index)
        if incident is None:
            if row.get("incident") in (None, ""):
                self.errors.append((index, "incident", _("This field is required.")))
            return None
        if self.actor is not None and incident.pk not in self.allowed:
            self.allowed[incident.pk] = bool(policy.can(self.actor, "change", incident))
        if self.actor is not None and not self.allowed[incident.pk]:
            message = _("You may not add violations to this incident.")
            self.errors.append((index, "incident", message))
            return None
        return incident

    def add(self, row: Mapping[str, Any], index: int) -> None:
        for name in sorted(set(row) - BULK_ROW_FIELDS):
            self.errors.append((index, name, _("This field cannot be set here.")))
        incident = self.incident(row, index)
        if incident is None:
            return
        victim = self.lookup(row, "victim", index)
        location = self.lookup(row, "location", index)
        group = self.lookup(row, "victim_group", index)
        fields = {k: v for k, v in row.items() if k in VIOLATION_FIELDS and k not in _LINKS}
        violation = self.new_violation(**fields, incident_id=incident.pk)
        violation.incident = incident  # cached, as the keyword did
        if location is not None:
            violation.location = location
        if group is not None:
            violation.victim_group = group
        inherit_dates(violation, incident, fields)
        try:
            _clean_row(violation, fields, self.cleaned)
            check_violation_links(violation, victim)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.errors.extend((index, name, message) for message in messages)
            return
        self.violations.append(violation)
        self.victims.append(victim)


_LINKS = frozenset({"location", "victim_group"})
#: (name, attname) of the fields a creation entry records: the same as ``add_violation``'s.
_ATTNAMES = {f.name: f.attname for f in Violation._meta.concrete_fields}
_SNAPSHOT = tuple((name, _ATTNAMES[name]) for name in sorted(VIOLATION_FIELDS))


def _created_diff(violation: Violation, victim: Person | NewPerson | None) -> dict[str, Any]:
    """``add_violation``'s audit diff, without its per-field look-ups."""
    diff: dict[str, Any] = {
        "incident": violation.incident_id,
        "victim": victim.code if victim is not None else None,
    }
    for name, attname in _SNAPSHOT:
        value = getattr(violation, attname)
        diff[name] = value.isoformat() if isinstance(value, dt.date) else value
    return diff


def bulk_create_violations(
    actor: User | None,
    organisation: Organisation,
    rows: Sequence[Mapping[str, Any]],
    *,
    audit_action: str = "violations.violation.created",
    reindex: bool = True,
) -> list[Violation]:
    """Create many violations at once (importer, API bulk, demo).

    Each row is a mapping of ``Violation`` fields plus ``incident`` (an Incident or its id),
    optional ``victim`` (a Person or its code), ``location`` (a Location or its id),
    ``victim_group`` (a VictimGroup or its code). Every row is validated first; any error raises
    :class:`BulkRowErrors` naming rows and fields and nothing is written. Then one transaction:
    ``bulk.insert`` of the violations and ``bulk.insert_rows`` of the victim links,
    ``append_many`` (one audit entry per violation) and ``reindex_incidents`` of the touched
    incidents (``reindex=False``: the caller reindexes them, e.g. once their units are
    attributed too).
    """
    require(actor, "bulk_create_violations", organisation)
    checked = _Rows(actor, organisation, rows)
    # The rows' Python work (building, cleaning) overlaps the server's check of the keys
    # written so far (PostgreSQL): an import's COMMIT then has little left to check.
    with bulk.deferred_keys_checked_meanwhile():
        for index, row in enumerate(rows):
            checked.add(row, index)
    if checked.errors:
        raise BulkRowErrors(checked.errors)
    with transaction.atomic():
        _write(actor, checked, audit_action)
        if reindex:
            reindex_incidents({v.incident_id for v in checked.violations})
    return checked.violations


def _write(actor: User | None, checked: _Rows, audit_action: str) -> None:
    org_id, violations, victims = checked.org_id, checked.violations, checked.victims
    bulk.insert(Violation, violations)
    # Victim links as rows (no model instances: they are not returned).
    links = [(v.pk, p.pk) for v, p in zip(violations, victims, strict=True) if p is not None]
    stamp = bulk.db_value(PersonRole, "created_at", checked.now)
    role = str(PersonRole.Role.VICTIM)
    bulk.insert_rows(  # ids from the database: nobody needs them back
        PersonRole,
        ["organisation_id", "violation_id", "person_id", "role", "created_at"],
        [(org_id, violation_id, person_id, role, stamp) for violation_id, person_id in links],
    )
    append_many(
        [
            Event(
                action=audit_action,
                actor=actor,
                obj=v,
                organisation_id=org_id,
                diff=_created_diff(v, p),
            )
            for v, p in zip(violations, victims, strict=True)
        ]
    )
