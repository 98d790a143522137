"""Every write to incidents, violations, persons, units and sources (STYLE 1).

Each action takes the acting user (``None`` is the system: demo data, set-up commands), checks
the policy (``policy.require``; see ``rules.py`` for action names), validates (a
``ValidationError`` naming the field and the reason, nothing written), writes, appends the audit
entry in the same transaction and keeps the search index current.

Audit diffs never contain identity plaintext: person identity fields only appear as
``"changed"`` or by name in a list of fields.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple, overload

import pycountry
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework import search
from justicework.audit.chain import Event, append_many, diff_fields, record
from justicework.core import bulk, policy
from justicework.core.dates import is_future
from justicework.core.models import AccessGrant, Membership, Organisation, User
from justicework.core.roles import Capability
from justicework.encryption import keyring
from justicework.encryption.fields import EncryptedField, normalise
from justicework.encryption.keyring import blind_index_key, hmac_hex
from justicework.violations import duplicates, rules, translit
from justicework.violations.indexing import reindex_incidents
from justicework.violations.models import (
    DatePrecision,
    Incident,
    IncidentRelation,
    Location,
    Perpetration,
    Person,
    PersonIndex,
    PersonRole,
    Source,
    Unit,
    UnitCommander,
    VictimGroup,
    Violation,
)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud, written by hand
CODE_LENGTH = 5
PERSON_CODE_PREFIX = "P-"

INCIDENT_FIELDS = frozenset(
    {
        "title",
        "description",
        "country",
        "context",
        "sensitivity",
        "start_date",
        "end_date",
        "date_precision",
        "date_approximate",
    }
)
LOCATION_FIELDS = frozenset(
    {"country", "subdivision", "place_name", "latitude", "longitude", "precision"}
)
VIOLATION_FIELDS = frozenset(
    {
        "type",
        "method",
        "location",
        "victim_group",
        "description",
        "consequences",
        "victim_age",
        "victim_outcome",
        "start_date",
        "end_date",
        "date_precision",
        "date_approximate",
    }
)
UNIT_FIELDS = frozenset({"name", "kind", "parent", "country", "aliases", "description"})
SOURCE_FIELDS = frozenset(
    {
        "kind",
        "title",
        "description",
        "reliability",
        "credibility",
        "language",
        "date",
        "url",
        "person",
    }
)
GROUP_FIELDS = frozenset({"kind", "description", "number_of_persons"})
COMMANDER_FIELDS = frozenset({"title", "start_date", "end_date"})


# --- Helpers -----------------------------------------------------------------------------------


def _require(actor: User | None, action: str, obj: Any) -> None:
    """Policy check; ``actor=None`` is the system (demo, commands) and is not checked."""
    if actor is not None:
        policy.require(actor, action, obj)


def _check_fields(changes: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})


def _snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)  # type: ignore[union-attr]  # concrete fields only
        if isinstance(value, dt.date):
            value = value.isoformat()
        result[name] = value
    return result


def _same_org(obj: Any, organisation_id: int, field: str) -> None:
    if obj is not None and obj.organisation_id != organisation_id:
        raise ValidationError({field: _("This record belongs to another organisation.")})


def _free_code(model: type[Person] | type[VictimGroup], organisation_id: int, prefix: str) -> str:
    return free_codes(model, organisation_id, prefix, 1)[0]


def _apply(obj: Model, changes: Mapping[str, Any], validate: Callable[[], None]) -> None:
    """Set ``changes`` on ``obj`` and validate; on a validation error put the old values back,
    so the caller's object is left as it was (nothing was written)."""
    old = {name: getattr(obj, name) for name in changes}
    old_extra = {
        name: getattr(obj, name) for name in ("country", "subdivision") if hasattr(obj, name)
    }
    for name, value in changes.items():
        setattr(obj, name, value)
    try:
        validate()
    except ValidationError:
        for name, value in {**old_extra, **old}.items():
            setattr(obj, name, value)
        raise


def _touch(obj: Any) -> None:
    obj.updated_at = timezone.now()


def _actor_or_none(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


# --- Incidents ---------------------------------------------------------------------------------


@transaction.atomic
def create_incident(
    actor: User | None,
    organisation: Organisation,
    *,
    title: str,
    status: str = Incident.Status.DRAFT,
    locations: Sequence[Mapping[str, Any]] = (),
    **fields: Any,
) -> Incident:
    """Create an incident (status draft or documented; verified needs ``verify``), with
    optional locations (dicts of ``Location`` fields)."""
    _require(actor, "create_incident", organisation)
    _check_fields(fields, INCIDENT_FIELDS)
    incident = Incident(
        organisation=organisation,
        title=(title or "").strip(),
        status=status,
        created_by=_actor_or_none(actor),
        **fields,
    )
    incident.country = (incident.country or "").upper()
    incident.full_clean()
    if (
        status == Incident.Status.VERIFIED
        and actor is not None
        and not policy.can(actor, "verify_records", organisation)
    ):
        raise PermissionDenied(_("Your role does not allow marking records as verified."))
    incident.save()
    created = [_new_location(incident, data, index) for index, data in enumerate(locations)]
    record(
        actor,
        "violations.incident.created",
        incident,
        diff={
            **_snapshot(incident, [*sorted(INCIDENT_FIELDS), "status"]),
            "locations": [loc.pk for loc in created],
        },
    )
    reindex_incidents([incident.pk])
    return incident


def _new_location(
    incident: Incident, data: Mapping[str, Any], index: int | None = None
) -> Location:
    try:
        _check_fields(data, LOCATION_FIELDS)
        location = Location(incident=incident, organisation_id=incident.organisation_id, **data)
        location.country = (location.country or incident.country or "").upper()
        location.full_clean(exclude=["incident", "organisation"])
    except ValidationError as exc:
        if index is None:
            raise
        raise ValidationError(
            {f"locations[{index}].{k}": v for k, v in exc.message_dict.items()}
        ) from exc
    location.save()
    return location


@transaction.atomic
def update_incident(actor: User | None, incident: Incident, **changes: Any) -> Incident:
    """Edit an incident's fields. Making a restricted incident normal again needs
    ``grant_access`` (admins), since it opens the record to every member."""
    _require(actor, "change", incident)
    _check_fields(changes, INCIDENT_FIELDS)
    if changes.get("sensitivity") == Incident.Sensitivity.NORMAL and incident.is_restricted:
        _require(actor, "grant_access", incident)
    before = _snapshot(incident, changes)

    def validate() -> None:
        incident.country = (incident.country or "").upper()
        incident.full_clean()

    _apply(incident, changes, validate)
    _touch(incident)
    incident.save()
    record(
        actor,
        "violations.incident.updated",
        incident,
        diff=diff_fields(before, _snapshot(incident, changes)),
    )
    reindex_incidents([incident.pk])
    return incident


@transaction.atomic
def change_incident_status(actor: User | None, incident: Incident, status: str) -> Incident:
    """Move between draft, documented and verified. Entering or leaving *verified* needs the
    ``verify`` action (``record.verify``)."""
    if status not in Incident.Status.values:
        raise ValidationError({"status": _("%(value)r is not a status.") % {"value": status}})
    verified = Incident.Status.VERIFIED
    _require(actor, "verify" if verified in (status, incident.status) else "change", incident)
    if status == incident.status:
        return incident
    before = incident.status
    incident.status = status
    _touch(incident)
    incident.save(update_fields=["status", "updated_at"])
    record(actor, "violations.incident.status_changed", incident, diff={"status": [before, status]})
    reindex_incidents([incident.pk])  # the status token (indexing.status_token)
    return incident


@transaction.atomic
def delete_incident(actor: User | None, incident: Incident) -> None:
    """Delete a draft incident and everything recorded under it."""
    _require(actor, "delete", incident)
    if incident.status != Incident.Status.DRAFT:
        raise ValidationError({"status": _("Only draft incidents can be deleted.")})
    pk = incident.pk
    diff = {
        "title": incident.title,
        "violations": incident.violations.count(),
        "locations": incident.locations.count(),
    }
    record(actor, "violations.incident.deleted", incident, diff=diff)
    incident.delete()
    search.remove(Incident, [pk])


@transaction.atomic
def add_location(actor: User | None, incident: Incident, **fields: Any) -> Location:
    _require(actor, "change", incident)
    location = _new_location(incident, fields)
    record(
        actor,
        "violations.location.created",
        location,
        diff={"incident": incident.pk, **_snapshot(location, sorted(LOCATION_FIELDS))},
    )
    reindex_incidents([incident.pk])
    return location


@transaction.atomic
def update_location(actor: User | None, location: Location, **changes: Any) -> Location:
    _require(actor, "change", location)
    _check_fields(changes, LOCATION_FIELDS)
    before = _snapshot(location, changes)
    _apply(location, changes, lambda: location.full_clean(exclude=["incident", "organisation"]))
    location.save()
    record(
        actor,
        "violations.location.updated",
        location,
        diff=diff_fields(before, _snapshot(location, changes)),
    )
    reindex_incidents([location.incident_id])
    return location


@transaction.atomic
def remove_location(actor: User | None, location: Location) -> None:
    _require(actor, "delete", location)
    incident_id = location.incident_id
    record(actor, "violations.location.deleted", location, diff={"incident": incident_id})
    location.delete()
    reindex_incidents([incident_id])


@transaction.atomic
def relate_incidents(
    actor: User | None,
    from_incident: Incident,
    to_incident: Incident,
    kind: str,
    note: str = "",
) -> IncidentRelation:
    """Record that ``from_incident`` is part of / precedes / follows / is the same as
    ``to_incident`` (both of the same organisation)."""
    _require(actor, "change", from_incident)
    _require(actor, "view", to_incident)
    if from_incident.organisation_id != to_incident.organisation_id:
        raise ValidationError(
            {"to_incident": _("Related incidents must belong to the same organisation.")}
        )
    if from_incident.pk == to_incident.pk:
        raise ValidationError({"to_incident": _("An incident cannot be related to itself.")})
    relation = IncidentRelation(
        organisation_id=from_incident.organisation_id,
        from_incident=from_incident,
        to_incident=to_incident,
        kind=kind,
        note=note,
    )
    relation.full_clean()
    relation.save()
    record(
        actor,
        "violations.incident.related",
        relation,
        diff={"from": from_incident.pk, "to": to_incident.pk, "kind": kind},
    )
    return relation


@transaction.atomic
def unrelate_incidents(actor: User | None, relation: IncidentRelation) -> None:
    _require(actor, "delete", relation)
    record(
        actor,
        "violations.incident.unrelated",
        relation,
        diff={
            "from": relation.from_incident_id,
            "to": relation.to_incident_id,
            "kind": relation.kind,
        },
    )
    relation.delete()


# --- Violations --------------------------------------------------------------------------------


def _check_violation_links(violation: Violation, victim: Person | NewPerson | None) -> None:
    org_id = violation.organisation_id
    if violation.location is not None and violation.location.incident_id != violation.incident_id:
        raise ValidationError({"location": _("This place is not a location of the incident.")})
    _same_org(violation.victim_group, org_id, "victim_group")
    _same_org(victim, org_id, "victim")
    if victim is not None and violation.victim_group is not None:
        raise ValidationError(
            {"victim": _("A violation has one victim: a person or a group, not both.")}
        )


DATE_FIELDS = ("start_date", "end_date", "date_precision", "date_approximate")


def _inherit_dates(violation: Violation, incident: Incident, fields: Mapping[str, Any]) -> None:
    """A violation given no dates at all takes the incident's (it happened during it)."""
    if not any(fields.get(name) not in (None, "") for name in DATE_FIELDS):
        for name in DATE_FIELDS:
            setattr(violation, name, getattr(incident, name))
        if incident.start_date is None:
            violation.date_precision = DatePrecision.UNKNOWN


@transaction.atomic
def add_violation(
    actor: User | None,
    incident: Incident,
    *,
    type: str,  # the vocabulary's name for it
    victim: Person | None = None,
    **fields: Any,
) -> Violation:
    """Record one act against one victim (``victim`` person or ``victim_group``)."""
    _require(actor, "change", incident)
    _check_fields(fields, VIOLATION_FIELDS - {"type"})
    violation = Violation(
        organisation_id=incident.organisation_id,
        incident=incident,
        type=type,
        created_by=_actor_or_none(actor),
        **fields,
    )
    _inherit_dates(violation, incident, fields)
    violation.full_clean(exclude=["incident", "organisation", "location", "victim_group"])
    _check_violation_links(violation, victim)
    violation.save()
    if victim is not None:
        PersonRole.objects.create(
            organisation_id=incident.organisation_id,
            violation=violation,
            person=victim,
            role=PersonRole.Role.VICTIM,
        )
    record(
        actor,
        "violations.violation.created",
        violation,
        diff={
            "incident": incident.pk,
            "victim": victim.code if victim else None,
            **_snapshot(violation, sorted(VIOLATION_FIELDS)),
        },
    )
    reindex_incidents([incident.pk])
    return violation


@transaction.atomic
def update_violation(actor: User | None, violation: Violation, **changes: Any) -> Violation:
    _require(actor, "change", violation)
    _check_fields(changes, VIOLATION_FIELDS)
    before = _snapshot(violation, changes)
    victim = Person.objects.filter(
        roles__violation=violation, roles__role=PersonRole.Role.VICTIM
    ).first()

    def validate() -> None:
        violation.full_clean(exclude=["incident", "organisation", "location", "victim_group"])
        _check_violation_links(violation, victim)

    _apply(violation, changes, validate)
    _touch(violation)
    violation.save()
    record(
        actor,
        "violations.violation.updated",
        violation,
        diff=diff_fields(before, _snapshot(violation, changes)),
    )
    reindex_incidents([violation.incident_id])
    return violation


@transaction.atomic
def remove_violation(actor: User | None, violation: Violation) -> None:
    _require(actor, "delete", violation)
    incident_id = violation.incident_id
    record(
        actor,
        "violations.violation.deleted",
        violation,
        diff={"incident": incident_id, "type": violation.type},
    )
    violation.delete()
    reindex_incidents([incident_id])


@transaction.atomic
def link_person(actor: User | None, violation: Violation, person: Person, role: str) -> PersonRole:
    """Link ``person`` to ``violation`` as its victim, a witness or a source."""
    _require(actor, "change", violation)
    _require(actor, "view", person)
    _same_org(person, violation.organisation_id, "person")
    if role not in PersonRole.Role.values:
        raise ValidationError({"role": _("%(value)r is not a role.") % {"value": role}})
    if role == PersonRole.Role.VICTIM:
        if violation.victim_group_id is not None:
            raise ValidationError(
                {"role": _("This violation's victim is a group; it cannot also have a person.")}
            )
        if violation.person_roles.filter(role=PersonRole.Role.VICTIM).exists():
            raise ValidationError({"role": _("This violation already has a victim.")})
    if violation.person_roles.filter(person=person, role=role).exists():
        raise ValidationError({"person": _("This person already has this role here.")})
    link = PersonRole.objects.create(
        organisation_id=violation.organisation_id, violation=violation, person=person, role=role
    )
    record(
        actor,
        "violations.person.linked",
        link,
        diff={"violation": violation.pk, "person": person.code, "role": role},
    )
    return link


@transaction.atomic
def unlink_person(actor: User | None, link: PersonRole) -> None:
    _require(actor, "delete", link)
    record(
        actor,
        "violations.person.unlinked",
        link,
        diff={"violation": link.violation_id, "person": link.person.code, "role": link.role},
    )
    link.delete()


# --- Persons -----------------------------------------------------------------------------------


def _text_list(value: Any, field: str) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError({field: _("Expected a list of texts.")})
    return [v.strip() for v in value if v.strip()]


def _clean_identity(data: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise identity input; errors name the field."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in data.items():
        try:
            clean[name] = _clean_identity_field(name, value)
        except ValidationError as exc:
            errors[name] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_identity_field(name: str, value: Any) -> Any:  # one branch per field
    if value in (None, "", [], {}):
        return None
    if name in {"full_name", "sex", "gender_identity", "ethnicity", "religion"}:
        if not isinstance(value, str):
            raise ValidationError(_("Expected a text."))
        if len(value) > 500:
            raise ValidationError(_("At most 500 characters."))
        return value.strip() or None
    if name == "names":
        if not isinstance(value, list):
            raise ValidationError(_("Expected a list of names."))
        names = []
        for item in value:
            entry = {"name": item} if isinstance(item, str) else item
            if not isinstance(entry, dict) or not str(entry.get("name", "")).strip():
                raise ValidationError(_("Each name needs a 'name'."))
            allowed = {"name", "script", "language", "transliteration"}
            if set(entry) - allowed:
                raise ValidationError(
                    _("Unknown keys in a name: %(keys)s")
                    % {"keys": ", ".join(sorted(set(entry) - allowed))}
                )
            names.append({k: str(v).strip() for k, v in entry.items() if v})
        return names
    if name in {"other_names", "languages"}:
        return _text_list(value, name) or None
    if name == "date_of_birth":
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError as exc:
                raise ValidationError(_("Expected a date (YYYY-MM-DD).")) from exc
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise ValidationError(_("Expected a date (YYYY-MM-DD)."))
        if is_future(value):
            raise ValidationError(_("The date of birth is in the future."))
        return value
    if name == "age_range":
        if not isinstance(value, dict) or set(value) - {"min", "max"}:
            raise ValidationError(_("Expected {'min': years, 'max': years}."))
        low, high = value.get("min"), value.get("max")
        for bound in (low, high):
            if bound is not None and (not isinstance(bound, int) or not 0 <= bound <= 130):
                raise ValidationError(_("Ages are whole numbers from 0 to 130."))
        if low is not None and high is not None and high < low:
            raise ValidationError(_("The maximum age is below the minimum."))
        return {"min": low, "max": high}
    if name == "nationalities":
        codes = [c.upper() for c in _text_list(value, name)]
        for code in codes:
            if pycountry.countries.get(alpha_2=code) is None:
                raise ValidationError(
                    _("%(code)r is not an ISO 3166-1 alpha-2 country code.") % {"code": code}
                )
        return codes or None
    if name == "contacts":
        if not isinstance(value, list) or not all(isinstance(v, str | dict) for v in value):
            raise ValidationError(_("Expected a list of contacts."))
        return value
    if name == "identity_documents":
        if not isinstance(value, list):
            raise ValidationError(_("Expected a list of documents."))
        docs = []
        for item in value:
            if not isinstance(item, dict) or not str(item.get("number", "")).strip():
                raise ValidationError(_("Each identity document needs a 'number'."))
            docs.append({k: str(v).strip() for k, v in item.items() if v})
        return docs
    raise ValidationError(_("Unknown identity field."))


def document_key(number: str) -> str:
    """Document numbers match whatever spaces, dashes and case were typed."""
    return re.sub(r"[\W_]+", "", normalise(number))


def name_forms(person: Person) -> list[str]:
    return _name_forms(person.full_name, person.names, person.other_names)


def _name_forms(full_name: str | None, names: Any, other_names: Any) -> list[str]:
    forms = []
    if full_name:
        forms.append(full_name)
    for entry in names or []:
        forms += [entry.get("name", ""), entry.get("transliteration", "")]
    forms += list(other_names or [])
    return [f for f in forms if f and f.strip()]


def _keyed_blind_index(index_key: bytes, value: str, kind: str) -> str:
    """``blind_index(value, kind)`` with the key given (no keyring look-up: no database)."""
    if value.strip() == "":
        return ""
    return hmac_hex(index_key, normalise(value), kind)


def index_values(
    *,
    names: Iterable[str] = (),
    date_of_birth: dt.date | None = None,
    documents: Iterable[str] = (),
    index_key: bytes | None = None,
) -> set[tuple[str, str]]:
    """The (kind, blind index) pairs of an identity. Names give both the normalised original
    and the transliteration-aware key. ``index_key`` is :func:`blind_index_key` when the
    caller has it (then nothing here touches the database: the importer's preparing thread)."""
    values: set[tuple[str, str]] = set()
    if index_key is None:
        index_key = blind_index_key()
    for name in names:
        normal = normalise(name)  # once: blind_index and name_key both start with it
        if normal:  # blind_index(name, "person.name"), without normalising again
            values.add((PersonIndex.Kind.NAME, hmac_hex(index_key, normal, "person.name")))
        key = translit.name_key_of_normalised(normal)
        if key:
            values.add(
                (PersonIndex.Kind.NAME_KEY, _keyed_blind_index(index_key, key, "person.name_key"))
            )
    if date_of_birth is not None:
        values.add(
            (
                PersonIndex.Kind.DATE_OF_BIRTH,
                _keyed_blind_index(index_key, date_of_birth.isoformat(), "person.dob"),
            )
        )
    for number in documents:
        key = document_key(number)
        if key:
            values.add(
                (PersonIndex.Kind.DOCUMENT, _keyed_blind_index(index_key, key, "person.document"))
            )
    return values


def person_index_values(person: Person) -> set[tuple[str, str]]:
    return index_values(
        names=name_forms(person),
        date_of_birth=person.date_of_birth,
        documents=[d.get("number", "") for d in person.identity_documents or []],
    )


def identity_index_values(
    identity: Mapping[str, Any], index_key: bytes | None = None
) -> set[tuple[str, str]]:
    """:func:`person_index_values` of a person holding the cleaned ``identity``."""
    return index_values(
        names=_name_forms(
            identity.get("full_name"), identity.get("names"), identity.get("other_names")
        ),
        date_of_birth=identity.get("date_of_birth"),
        documents=[d.get("number", "") for d in identity.get("identity_documents") or []],
        index_key=index_key,
    )


def _index_rows(person: Person) -> list[PersonIndex]:
    return [
        PersonIndex(organisation_id=person.organisation_id, person=person, kind=kind, value=value)
        for kind, value in sorted(person_index_values(person))
    ]


@transaction.atomic
def create_person(
    actor: User | None,
    organisation: Organisation,
    *,
    status: str = Person.Status.UNKNOWN,
    **identity: Any,
) -> Person:
    """Create a person with a fresh pseudonymous code; identity fields are encrypted and
    blind-indexed. Identity keys: ``Person.IDENTITY_FIELDS``."""
    _require(actor, "create_person", organisation)
    _check_fields(identity, frozenset(Person.IDENTITY_FIELDS))
    clean = _clean_identity(identity)
    person = Person(
        organisation=organisation,
        code=_free_code(Person, organisation.pk, PERSON_CODE_PREFIX),
        status=status,
        created_by=_actor_or_none(actor),
        **clean,
    )
    person.full_clean(exclude=["organisation", *Person.IDENTITY_FIELDS])
    person.save()
    PersonIndex.objects.bulk_create(_index_rows(person))
    record(
        actor,
        "violations.person.created",
        person,
        diff={
            "code": person.code,
            "status": person.status,
            "identity_fields": sorted(k for k, v in clean.items() if v is not None),
        },
    )
    return person


@transaction.atomic
def update_person(actor: User | None, person: Person, **changes: Any) -> Person:
    """Change a person's status and/or identity fields (blind indexes are recomputed).
    Identity fields need ``change_identity`` (the need-to-know that reading them needs) and are
    audited as ``violations.person.identity_changed`` (field names only)."""
    _require(actor, "change", person)
    _check_fields(changes, frozenset({"status", *Person.IDENTITY_FIELDS}))
    identity = {k: v for k, v in changes.items() if k != "status"}
    if identity:
        _require(actor, "change_identity", person)
    clean = _clean_identity(identity)
    before = {name: getattr(person, name) for name in changes}
    if "status" in changes:
        person.status = changes["status"]
    for name, value in clean.items():
        setattr(person, name, value)
    person.full_clean(exclude=["organisation", *Person.IDENTITY_FIELDS])
    _touch(person)
    person.save()
    if clean:
        person.index_values.all().delete()
        PersonIndex.objects.bulk_create(_index_rows(person))
    after = {name: getattr(person, name) for name in changes}
    record(
        actor,
        "violations.person.identity_changed" if identity else "violations.person.updated",
        person,
        diff=diff_fields(before, after, sensitive=Person.IDENTITY_FIELDS),
    )
    return person


@transaction.atomic
def check_duplicates(
    actor: User | None,
    organisation: Organisation,
    *,
    name: str | Sequence[str] | None = None,
    dob: dt.date | str | None = None,
    documents: Sequence[str] = (),
    exclude: Person | None = None,
) -> duplicates.DuplicateCheck:
    """Is a person with this identity already recorded in ``organisation``? Candidates for a
    human to review, not a decision (see :mod:`~justicework.violations.duplicates`): at least
    two identifying fields given and matched; codes only of persons the actor may open
    (need-to-know), otherwise "a possible duplicate exists" and whom to ask; rate-limited per
    user; audited with the blind-index values and the number of matches, never plaintext."""
    _require(actor, "find_duplicates", organisation)
    if isinstance(dob, str):
        try:
            dob = dt.date.fromisoformat(dob) if dob else None
        except ValueError as exc:
            raise ValidationError({"date_of_birth": _("Expected a date (YYYY-MM-DD).")}) from exc
    names = [name] if isinstance(name, str) else list(name or [])
    values = index_values(names=names, date_of_birth=dob, documents=documents)
    duplicates.require_two_fields(values)
    if actor is not None:
        duplicates.charge(actor)
    hits = duplicates.match(organisation, values, exclude.pk if exclude is not None else None)
    may_open = set(
        policy.visible(actor, Person, "reveal_identity")
        .filter(pk__in=sorted(hits))
        .values_list("pk", flat=True)
        if actor is not None
        else hits
    )
    codes = duplicates.strongest_first([hit for pk, hit in hits.items() if pk in may_open])
    undisclosed = len(hits) - len(codes)
    record(
        actor,
        "violations.person.duplicates_checked",
        organisation,
        organisation_id=organisation.pk,
        diff={
            "blind_index": sorted(f"{kind}:{value}" for kind, value in values),
            "matches": len(hits),
            "disclosed": len(codes),
        },
    )
    return duplicates.DuplicateCheck(
        codes=codes,
        undisclosed=undisclosed,
        organisation=organisation,
        ask=duplicates.whom_to_ask(organisation) if undisclosed else [],
    )


@transaction.atomic
def reveal_identity(actor: User, person: Person) -> dict[str, Any]:
    """The decrypted identity of ``person``. Needs ``identity.reveal`` in the owning
    organisation AND a current need-to-know grant; every reveal is audited (field names only)."""
    policy.require(actor, "reveal_identity", person)
    identity = {name: getattr(person, name) for name in Person.IDENTITY_FIELDS}
    record(
        actor,
        "violations.person.identity_revealed",
        person,
        diff={"code": person.code, "fields": sorted(k for k, v in identity.items() if v)},
    )
    return {"code": person.code, "status": person.status, **identity}


def _grant(
    actor: User | None,
    *,
    user: User,
    obj: Person | Incident,
    capability: Capability,
    reason: str,
    expires_at: dt.datetime | None,
    audit_action: str,
) -> AccessGrant:
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Say why this person needs to know.")
    elif len(reason) > 300:
        errors["reason"] = _("At most 300 characters.")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry is in the past.")
    if not Membership.objects.filter(
        user=user, organisation_id=obj.organisation_id, organisation__is_active=True
    ).exists():
        errors["user"] = _("This user is not a member of the owning organisation.")
    if errors:
        raise ValidationError(errors)
    grant = AccessGrant.objects.create(
        user=user,
        organisation_id=obj.organisation_id,
        capability=capability,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        granted_by=_actor_or_none(actor),
        reason=reason,
        expires_at=expires_at,
    )
    record(
        actor,
        audit_action,
        obj,
        diff={
            "grant": grant.pk,
            "user": user.pk,
            "reason": reason,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    rules.forget_grants(user)
    return grant


@transaction.atomic
def grant_need_to_know(
    actor: User | None,
    user: User,
    person: Person,
    reason: str,
    expires_at: dt.datetime | None = None,
) -> AccessGrant:
    """Let ``user`` open ``person``'s identity (they still need ``identity.reveal``)."""
    _require(actor, "grant_need_to_know", person)
    return _grant(
        actor,
        user=user,
        obj=person,
        capability=Capability.IDENTITY_REVEAL,
        reason=reason,
        expires_at=expires_at,
        audit_action="violations.person.need_to_know_granted",
    )


@transaction.atomic
def grant_incident_access(
    actor: User | None,
    user: User,
    incident: Incident,
    reason: str,
    expires_at: dt.datetime | None = None,
) -> AccessGrant:
    """Let ``user`` see a restricted incident (their role still decides what they may do)."""
    _require(actor, "grant_access", incident)
    return _grant(
        actor,
        user=user,
        obj=incident,
        capability=Capability.RECORD_VIEW,
        reason=reason,
        expires_at=expires_at,
        audit_action="violations.incident.access_granted",
    )


@transaction.atomic
def revoke_grant(actor: User | None, grant: AccessGrant) -> AccessGrant:
    """Revoke a need-to-know grant now (idempotent)."""
    _require(actor, "revoke", grant)
    if grant.object_type not in {rules.PERSON_TYPE, rules.INCIDENT_TYPE}:
        raise ValidationError({"grant": _("This grant is not about incidents or persons.")})
    if grant.revoked_at is not None:
        return grant
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    record(
        actor,
        "violations.grant.revoked",
        grant,
        organisation_id=grant.organisation_id,
        diff={"user": grant.user_id, "object": f"{grant.object_type}:{grant.object_id}"},
    )
    rules.forget_grants(grant.user)
    return grant


# --- Victim groups -----------------------------------------------------------------------------


@transaction.atomic
def create_victim_group(
    actor: User | None,
    organisation: Organisation,
    *,
    description: str,
    number_of_persons: int,
    kind: str = VictimGroup.Kind.GROUP,
) -> VictimGroup:
    _require(actor, "create_victim_group", organisation)
    group = VictimGroup(
        organisation=organisation,
        code=_free_code(VictimGroup, organisation.pk, "G-"),
        description=(description or "").strip(),
        number_of_persons=number_of_persons,
        kind=kind,
    )
    group.full_clean(exclude=["organisation"])
    group.save()
    record(
        actor,
        "violations.victim_group.created",
        group,
        diff=_snapshot(group, ["code", *sorted(GROUP_FIELDS)]),
    )
    return group


@transaction.atomic
def update_victim_group(actor: User | None, group: VictimGroup, **changes: Any) -> VictimGroup:
    _require(actor, "change", group)
    _check_fields(changes, GROUP_FIELDS)
    before = _snapshot(group, changes)
    _apply(group, changes, lambda: group.full_clean(exclude=["organisation"]))
    group.save()
    record(
        actor,
        "violations.victim_group.updated",
        group,
        diff=diff_fields(before, _snapshot(group, changes)),
    )
    return group


# --- Units -------------------------------------------------------------------------------------


def _check_unit(unit: Unit) -> None:
    unit.country = (unit.country or "").upper()
    if not isinstance(unit.aliases, list) or not all(isinstance(a, str) for a in unit.aliases):
        raise ValidationError({"aliases": _("Expected a list of names.")})
    unit.full_clean(exclude=["organisation", "parent"])
    parent = unit.parent
    if parent is None:
        return
    _same_org(parent, unit.organisation_id, "parent")
    seen = {unit.pk} if unit.pk else set()
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError({"parent": _("A unit cannot be part of itself.")})
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def create_unit(
    actor: User | None,
    organisation: Organisation,
    *,
    name: str,
    kind: str,
    **fields: Any,
) -> Unit:
    _require(actor, "create_unit", organisation)
    _check_fields(fields, UNIT_FIELDS - {"name", "kind"})
    unit = Unit(organisation=organisation, name=(name or "").strip(), kind=kind, **fields)
    _check_unit(unit)
    unit.save()
    record(actor, "violations.unit.created", unit, diff=_snapshot(unit, sorted(UNIT_FIELDS)))
    return unit


@transaction.atomic
def update_unit(actor: User | None, unit: Unit, **changes: Any) -> Unit:
    _require(actor, "change", unit)
    _check_fields(changes, UNIT_FIELDS)
    before = _snapshot(unit, changes)
    _apply(unit, changes, lambda: _check_unit(unit))
    _touch(unit)
    unit.save()
    record(
        actor, "violations.unit.updated", unit, diff=diff_fields(before, _snapshot(unit, changes))
    )
    affected = Violation.objects.filter(perpetrations__unit=unit).values_list(
        "incident_id", flat=True
    )
    if "name" in changes:
        reindex_incidents(affected)
    return unit


@transaction.atomic
def add_unit_commander(
    actor: User | None,
    unit: Unit,
    person: Person,
    *,
    title: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> UnitCommander:
    """Record that ``person`` commanded ``unit`` from ``start_date`` to ``end_date``."""
    _require(actor, "change", unit)
    _same_org(person, unit.organisation_id, "person")
    command = UnitCommander(
        organisation_id=unit.organisation_id,
        unit=unit,
        person=person,
        title=title,
        start_date=start_date,
        end_date=end_date,
    )
    command.full_clean(exclude=["organisation", "unit", "person"])
    command.save()
    record(
        actor,
        "violations.unit.commander_added",
        command,
        diff={
            "unit": unit.pk,
            "person": person.code,
            **_snapshot(command, sorted(COMMANDER_FIELDS)),
        },
    )
    return command


@transaction.atomic
def update_unit_commander(
    actor: User | None, command: UnitCommander, **changes: Any
) -> UnitCommander:
    _require(actor, "change", command)
    _check_fields(changes, COMMANDER_FIELDS)
    before = _snapshot(command, changes)
    _apply(command, changes, lambda: command.full_clean(exclude=["organisation", "unit", "person"]))
    command.save()
    record(
        actor,
        "violations.unit.commander_updated",
        command,
        diff=diff_fields(before, _snapshot(command, changes)),
    )
    return command


@transaction.atomic
def remove_unit_commander(actor: User | None, command: UnitCommander) -> None:
    _require(actor, "delete", command)
    record(actor, "violations.unit.commander_removed", command, diff={"unit": command.unit_id})
    command.delete()


# --- Perpetrations -----------------------------------------------------------------------------


@transaction.atomic
def add_perpetration(
    actor: User | None,
    violation: Violation,
    *,
    involvement: str,
    person: Person | None = None,
    unit: Unit | None = None,
    note: str = "",
) -> Perpetration:
    """Attribute ``violation`` to a person and/or a unit with a degree of involvement."""
    _require(actor, "change", violation)
    if person is None and unit is None:
        raise ValidationError({"person": _("Name a person, a unit or both.")})
    _same_org(person, violation.organisation_id, "person")
    _same_org(unit, violation.organisation_id, "unit")
    perpetration = Perpetration(
        organisation_id=violation.organisation_id,
        violation=violation,
        person=person,
        unit=unit,
        involvement=involvement,
        note=note,
    )
    perpetration.full_clean(exclude=["organisation", "violation", "person", "unit"])
    perpetration.save()
    record(
        actor,
        "violations.perpetration.created",
        perpetration,
        diff={
            "violation": violation.pk,
            "person": person.code if person else None,
            "unit": unit.pk if unit else None,
            "involvement": involvement,
        },
    )
    if unit is not None:
        reindex_incidents([violation.incident_id])
    return perpetration


@transaction.atomic
def remove_perpetration(actor: User | None, perpetration: Perpetration) -> None:
    _require(actor, "delete", perpetration)
    incident_id = perpetration.violation.incident_id
    record(
        actor,
        "violations.perpetration.deleted",
        perpetration,
        diff={"violation": perpetration.violation_id},
    )
    perpetration.delete()
    reindex_incidents([incident_id])


# --- Sources -----------------------------------------------------------------------------------


def _check_source(source: Source) -> None:
    source.full_clean(exclude=["organisation", "person"])
    _same_org(source.person, source.organisation_id, "person")


@transaction.atomic
def create_source(
    actor: User | None,
    organisation: Organisation,
    *,
    kind: str,
    title: str,
    incidents: Sequence[Incident] = (),
    violations: Sequence[Violation] = (),
    **fields: Any,
) -> Source:
    """Create a source graded on the Admiralty scale and link it to incidents/violations."""
    _require(actor, "create_source", organisation)
    _check_fields(fields, SOURCE_FIELDS - {"kind", "title"})
    source = Source(organisation=organisation, kind=kind, title=(title or "").strip(), **fields)
    _check_source(source)
    for item in [*incidents, *violations]:
        _same_org(
            item, organisation.pk, "incidents" if isinstance(item, Incident) else "violations"
        )
        _require(actor, "change", item)
    source.save()
    source.incidents.add(*incidents)
    source.violations.add(*violations)
    record(
        actor,
        "violations.source.created",
        source,
        diff={
            **_snapshot(source, sorted(SOURCE_FIELDS - {"person"})),
            "person": source.person.code if source.person else None,
            "incidents": [i.pk for i in incidents],
            "violations": [v.pk for v in violations],
        },
    )
    return source


@transaction.atomic
def update_source(actor: User | None, source: Source, **changes: Any) -> Source:
    _require(actor, "change", source)
    _check_fields(changes, SOURCE_FIELDS)
    before = _snapshot(source, changes)
    _apply(source, changes, lambda: _check_source(source))
    _touch(source)
    source.save()
    record(
        actor,
        "violations.source.updated",
        source,
        diff=diff_fields(before, _snapshot(source, changes)),
    )
    return source


@transaction.atomic
def link_source(
    actor: User | None,
    source: Source,
    *,
    incident: Incident | None = None,
    violation: Violation | None = None,
) -> Source:
    _require(actor, "change", source)
    if incident is None and violation is None:
        raise ValidationError({NON_FIELD_ERRORS: _("Name an incident or a violation.")})
    for item, field in [(incident, "incident"), (violation, "violation")]:
        if item is not None:
            _same_org(item, source.organisation_id, field)
            _require(actor, "change", item)
    if incident is not None:
        source.incidents.add(incident)
    if violation is not None:
        source.violations.add(violation)
    record(
        actor,
        "violations.source.linked",
        source,
        diff={
            "incident": incident.pk if incident else None,
            "violation": violation.pk if violation else None,
        },
    )
    return source


@transaction.atomic
def unlink_source(
    actor: User | None,
    source: Source,
    *,
    incident: Incident | None = None,
    violation: Violation | None = None,
) -> Source:
    _require(actor, "change", source)
    if incident is not None:
        source.incidents.remove(incident)
    if violation is not None:
        source.violations.remove(violation)
    record(
        actor,
        "violations.source.unlinked",
        source,
        diff={
            "incident": incident.pk if incident else None,
            "violation": violation.pk if violation else None,
        },
    )
    return source


# --- Bulk --------------------------------------------------------------------------------------


class BulkRowErrors(ValidationError):
    """Row-level errors of a bulk write; nothing was written. ``rows`` is a list of
    ``(row index, field, message)``; ``message_dict`` keys read ``"<row>.<field>"``."""

    def __init__(self, rows: list[tuple[int, str, str]]) -> None:
        self.rows = rows
        grouped: dict[str, list[str]] = {}
        for index, field, message in rows:
            grouped.setdefault(f"{index}.{field}", []).append(message)
        super().__init__(grouped)


class NewPerson(NamedTuple):
    """A person :func:`bulk_create_persons` created, when the caller needs no instance
    (``instances=False``); :func:`bulk_create_violations` takes it as a victim."""

    pk: int
    code: str
    organisation_id: int


class PreparedIdentity(NamedTuple):
    """An identity cleaned and blind-indexed ahead of its write by :func:`prepare_identity`
    (no database: the importer builds these in its preparing process while the previous chunk
    is written). :func:`bulk_create_persons` takes one in place of a mapping."""

    status: str
    identity: dict[str, Any]
    #: The (kind, blind index) pairs, sorted; computed under ``index_key``.
    indexes: tuple[tuple[str, str], ...]
    index_key: bytes
    #: ``(field, message)`` pairs; when present the item is invalid (nothing else is set).
    errors: tuple[tuple[str, str], ...] = ()
    #: A code drawn ahead (:func:`draw_codes`); the writer checks it is still free.
    code: str = ""
    #: The identity's fields encrypted ahead (field name → stored ciphertext) under the data key
    #: ``sealed_key``; the writer uses them only while that key is still the active one.
    sealed: dict[str, str] | None = None
    sealed_key: int | None = None


class IdentitySealer(NamedTuple):
    """Encrypts a person's identity fields under one data key of its organisation, as
    ``EncryptedField.pre_save`` does (:func:`identity_sealer`)."""

    key_id: int
    seals: dict[str, Callable[[Any], keyring.Ciphertext | None]]

    def seal(self, identity: Mapping[str, Any]) -> dict[str, str]:
        sealed: dict[str, str] = {}
        for name, value in identity.items():
            if value is not None:
                ciphertext = self.seals[name](value)
                if ciphertext is not None:
                    sealed[name] = ciphertext
        return sealed


def identity_sealer(organisation_id: int, *, create: bool = False) -> IdentitySealer | None:
    """A sealer for new persons' identities under the organisation's active data key, for work
    done ahead of the write (the importer's preparing process). An organisation with no data
    key yet gets one with ``create`` (as its first encrypted write would), else ``None``.
    Looks the key up: call it where queries are allowed, in the writer's transaction."""
    scope = keyring.org_scope(organisation_id)
    if create:
        key_id: int | None = keyring.keyring.active_key_id(scope)
    else:
        key_id = keyring.existing_active_key_id(scope)
    if key_id is None:
        return None
    return _identity_sealer(scope, key_id)


def _identity_sealer(scope: str, key_id: int) -> IdentitySealer:
    return IdentitySealer(
        key_id,
        {name: _sealer(field, scope, key_id) for name, field in _ENCRYPTED_PERSON_FIELDS.items()},
    )


_PERSON_ITEM_FIELDS = frozenset({"status", *Person.IDENTITY_FIELDS})
_PERSON_STATUSES = frozenset(Person.Status.values)
_IDENTITY_FIELDS = frozenset(Person.IDENTITY_FIELDS)


def prepare_identity(
    item: Mapping[str, Any],
    index_key: bytes,
    *,
    code: str = "",
    sealer: IdentitySealer | None = None,
) -> PreparedIdentity:
    """What :func:`bulk_create_persons` does to one item before writing it: check the fields
    and the status, clean the identity, compute its blind indexes with ``index_key``
    (:func:`~justicework.encryption.keyring.blind_index_key`, looked up by the caller); with
    ``code`` (from :func:`draw_codes`) and ``sealer`` (:func:`identity_sealer`), also the code
    and the encrypted fields. Pure: no database, no writes; safe in another thread or process
    (with the caller's language active for the messages)."""
    errors: list[tuple[str, str]] = []
    if not _PERSON_ITEM_FIELDS.issuperset(item):
        for name in sorted(set(item) - _PERSON_ITEM_FIELDS):
            errors.append((name, _("This field cannot be set here.")))
    status = item.get("status") or Person.Status.UNKNOWN
    if status not in _PERSON_STATUSES:
        errors.append(("status", _("%(value)r is not a status.") % {"value": status}))
    try:
        identity = _clean_identity({k: v for k, v in item.items() if k in _IDENTITY_FIELDS})
    except ValidationError as exc:
        collected: list[tuple[int, str, str]] = []
        _collect(collected, 0, exc)
        errors.extend((name, message) for _index, name, message in collected)
        return PreparedIdentity(str(status), {}, (), index_key, tuple(errors))
    if errors:
        return PreparedIdentity(str(status), identity, (), index_key, tuple(errors))
    indexes = tuple(
        (str(kind), value) for kind, value in sorted(identity_index_values(identity, index_key))
    )
    if sealer is None:
        return PreparedIdentity(str(status), identity, indexes, index_key, code=code)
    return PreparedIdentity(
        str(status),
        identity,
        indexes,
        index_key,
        code=code,
        sealed=sealer.seal(identity),
        sealed_key=sealer.key_id,
    )


BULK_ROW_FIELDS = VIOLATION_FIELDS | {"incident", "victim"}
_VIOLATION_FIELDS = {f.name: f for f in Violation._meta.concrete_fields}


#: Value types whose cleaning depends on the value alone (plain fields: no instance, no query).
_CLEAN_ONCE = frozenset({str, int, bool, type(None), dt.date})


def _clean_row(
    violation: Violation, given: Iterable[str], cleaned: dict[Any, Any] | None = None
) -> None:
    """What ``full_clean`` checks for a bulk row, limited to the fields the row sets (the
    others hold valid defaults or the incident's dates): about five times faster.
    ``cleaned`` (one dict per batch) remembers each field's valid values: a batch repeats
    its types, outcomes and dates, and a plain field cleans a value the same way each time."""
    errors: dict[str, list[ValidationError]] = {}
    for name in {"type", *given}:
        field = _VIOLATION_FIELDS[name]
        value = getattr(violation, field.attname)
        key = (name, type(value), value)
        memo = cleaned if cleaned is not None and key[1] in _CLEAN_ONCE else None
        if memo is not None and key in memo:
            setattr(violation, field.attname, memo[key])
            continue
        try:
            result = field.clean(value, violation)
        except ValidationError as exc:
            errors[name] = exc.error_list
            continue
        setattr(violation, field.attname, result)
        if memo is not None:
            memo[key] = result
    if errors:
        raise ValidationError(errors)
    violation.clean()


def _resolve(
    rows: Sequence[Mapping[str, Any]],
    key: str,
    model: type[Model],
    organisation_id: int,
    by: str,
) -> dict[Any, Any]:
    """Load the objects ``rows`` name under ``key`` (instances or ``by`` values) in one query."""
    wanted = {
        row[key]
        for row in rows
        if row.get(key) not in (None, "") and not isinstance(row[key], Model | NewPerson)
    }
    found: dict[Any, Any] = {}
    if wanted:
        queryset = model._default_manager.filter(
            organisation_id=organisation_id, **{f"{by}__in": sorted(wanted, key=str)}
        )
        found = {getattr(obj, by): obj for obj in queryset}
        if by == "pk":
            found.update({str(k): v for k, v in list(found.items())})
    return found


# What the bulk actions (and the scale generator) write through ``core.bulk``; the stamps are
# always set by the caller, so their callable defaults are never shared between rows.
_STAMPS = ("created_at", "updated_at")
bulk.writes(Violation, given=_STAMPS)
bulk.writes(Incident, given=_STAMPS)
bulk.writes(Person, given=_STAMPS)
bulk.writes(Location)
bulk.writes(Perpetration, given=("created_at",))
bulk.writes(PersonRole, given=("created_at",))
bulk.writes(PersonIndex)


def bulk_create_violations(  # validation, then one write
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
    incidents.
    """
    _require(actor, "bulk_create_violations", organisation)
    org_id = organisation.pk
    incidents = _resolve(rows, "incident", Incident, org_id, "pk")
    persons = _resolve(rows, "victim", Person, org_id, "code")
    locations = _resolve(rows, "location", Location, org_id, "pk")
    groups = _resolve(rows, "victim_group", VictimGroup, org_id, "code")
    creator = _actor_or_none(actor)
    creator_id = creator.pk if creator is not None else None
    now = timezone.now()
    errors: list[tuple[int, str, str]] = []
    violations: list[Violation] = []
    victims: list[Person | NewPerson | None] = []
    allowed_incidents: dict[int, bool] = {}
    cleaned: dict[Any, Any] = {}
    # Every row starts from one template (bulk.maker: the defaults evaluated once); a row's
    # own fields (attname == name) replace its values.
    new_violation = bulk.maker(
        Violation, organisation_id=org_id, created_by_id=creator_id, created_at=now, updated_at=now
    )

    def lookup(row: Mapping[str, Any], key: str, table: dict[Any, Any], index: int) -> Any:
        value = row.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, Model | NewPerson):
            if getattr(value, "organisation_id", None) != org_id:
                errors.append((index, key, _("This record belongs to another organisation.")))
                return None
            return value
        obj = table.get(value) or table.get(str(value))
        if obj is None:
            errors.append((index, key, _("%(value)s was not found.") % {"value": value}))
        return obj

    # The rows' Python work (building, cleaning) overlaps the server's check of the keys
    # written so far (PostgreSQL): an import's COMMIT then has little left to check.
    with bulk.deferred_keys_checked_meanwhile():
        for index, row in enumerate(rows):
            unknown = sorted(set(row) - BULK_ROW_FIELDS)
            for name in unknown:
                errors.append((index, name, _("This field cannot be set here.")))
            incident = lookup(row, "incident", incidents, index)
            if incident is None:
                if row.get("incident") in (None, ""):
                    errors.append((index, "incident", _("This field is required.")))
                continue
            if actor is not None and incident.pk not in allowed_incidents:
                allowed_incidents[incident.pk] = bool(policy.can(actor, "change", incident))
            if actor is not None and not allowed_incidents[incident.pk]:
                errors.append(
                    (index, "incident", _("You may not add violations to this incident."))
                )
                continue
            victim = lookup(row, "victim", persons, index)
            location = lookup(row, "location", locations, index)
            group = lookup(row, "victim_group", groups, index)
            fields = {
                k: v
                for k, v in row.items()
                if k in VIOLATION_FIELDS and k not in {"location", "victim_group"}
            }
            violation = new_violation(**fields, incident_id=incident.pk)
            violation.incident = incident  # cached, as the keyword did
            if location is not None:
                violation.location = location
            if group is not None:
                violation.victim_group = group
            _inherit_dates(violation, incident, fields)
            try:
                _clean_row(violation, fields, cleaned)
                _check_violation_links(violation, victim)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    errors.extend((index, name, message) for message in messages)
                continue
            violations.append(violation)
            victims.append(victim)
    if errors:
        raise BulkRowErrors(errors)

    with transaction.atomic():
        bulk.insert(Violation, violations)
        # Victim links as rows (no model instances: they are not returned).
        links = [(v.pk, p.pk) for v, p in zip(violations, victims, strict=True) if p is not None]
        stamp = bulk.db_value(PersonRole, "created_at", now)
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
                    diff={
                        "incident": v.incident_id,
                        "type": v.type,
                        "victim": p.code if p is not None else None,
                        "victim_group": v.victim_group_id,
                    },
                )
                for v, p in zip(violations, victims, strict=True)
            ]
        )
        if reindex:
            reindex_incidents({v.incident_id for v in violations})
    return violations


def _clean_given(obj: Model, given: Iterable[str], always: Iterable[str] = ()) -> None:
    """``clean_fields`` for the fields a bulk row sets (plus ``always``), then ``clean()``."""
    fields = {f.name: f for f in obj._meta.concrete_fields}
    errors: dict[str, list[ValidationError]] = {}
    for name in {*always, *given}:
        field = fields[name]
        try:
            setattr(obj, field.attname, field.clean(getattr(obj, field.attname), obj))
        except ValidationError as exc:
            errors[name] = exc.error_list
    if errors:
        raise ValidationError(errors)
    obj.clean()


def _collect(
    errors: list[tuple[int, str, str]], index: int, exc: ValidationError, prefix: str = ""
) -> None:
    if not hasattr(exc, "error_dict"):
        exc = ValidationError({NON_FIELD_ERRORS: exc.messages})
    for name, messages in exc.message_dict.items():
        errors.extend((index, prefix + name, message) for message in messages)


def draw_codes(prefix: str, count: int, taken: set[str] | None = None) -> list[str]:
    """``count`` random pseudonyms like ``P-7K3Q9`` (never derived from an identity), distinct
    from each other and from ``taken`` (which is updated); not checked against the database
    (:func:`free_codes` does that). No database: the importer draws them in its preparing
    process."""
    taken = set() if taken is None else taken
    base, space = len(CODE_ALPHABET), len(CODE_ALPHABET) ** CODE_LENGTH
    codes: list[str] = []
    while len(codes) < count:  # one randbelow per code: uniform, as secrets.choice per letter
        number = secrets.randbelow(space)
        chars = []
        for _position in range(CODE_LENGTH):
            number, digit = divmod(number, base)
            chars.append(CODE_ALPHABET[digit])
        code = prefix + "".join(chars)
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def free_codes(
    model: type[Person] | type[VictimGroup],
    organisation_id: int,
    prefix: str,
    count: int,
    drawn: Sequence[str] = (),
) -> list[str]:
    """``count`` new random codes unused in the organisation (one query per round). ``drawn``:
    codes drawn ahead (:func:`draw_codes`), used in their order where still free (a code
    drawn twice, or taken meanwhile, is replaced by a new one at its place)."""
    taken: set[str] = set()
    codes: list[str] = []
    for code in drawn[:count]:
        if code.startswith(prefix) and code not in taken:
            taken.add(code)
            codes.append(code)
        else:
            codes.append("")
    codes.extend("" for _ in range(count - len(codes)))
    missing = [i for i, code in enumerate(codes) if not code]
    for i, code in zip(missing, draw_codes(prefix, len(missing), taken), strict=True):
        codes[i] = code
    pending = list(range(count))
    while pending:
        clash = set(
            model.objects.filter(
                organisation_id=organisation_id, code__in=[codes[i] for i in pending]
            ).values_list("code", flat=True)
        )
        pending = [i for i in pending if codes[i] in clash]
        for i, code in zip(pending, draw_codes(prefix, len(pending), taken), strict=True):
            codes[i] = code
    return codes


@overload
def bulk_create_persons(
    actor: User | None,
    organisation: Organisation,
    identities: Sequence[Mapping[str, Any] | PreparedIdentity],
    *,
    source: str = ...,
    instances: Literal[True] = ...,
) -> list[Person]: ...


@overload
def bulk_create_persons(
    actor: User | None,
    organisation: Organisation,
    identities: Sequence[Mapping[str, Any] | PreparedIdentity],
    *,
    source: str = ...,
    instances: Literal[False],
) -> list[NewPerson]: ...


def bulk_create_persons(
    actor: User | None,
    organisation: Organisation,
    identities: Sequence[Mapping[str, Any] | PreparedIdentity],
    *,
    source: str = "",
    instances: bool = True,
) -> list[Person] | list[NewPerson]:
    """Create many persons (importer, demo). Each item holds ``status`` and identity fields
    (``Person.IDENTITY_FIELDS``). All items are validated first (:class:`BulkRowErrors`);
    then codes, encryption, blind indexes and one audit entry per person in one transaction.
    ``source`` (e.g. ``"import"``) is added to each audit diff. ``instances=False`` returns
    :class:`NewPerson` tuples instead of ``Person`` instances (the importer: no model
    instances are built at all; the stored rows are the same). An item may be a
    :class:`PreparedIdentity` (:func:`prepare_identity`, done ahead): the same checks, already
    run."""
    _require(actor, "create_person", organisation)
    allowed = frozenset({"status", *Person.IDENTITY_FIELDS})
    errors: list[tuple[int, str, str]] = []
    cleaned: list[tuple[str, dict[str, Any]]] = []
    #: Blind-index rows already computed (prepared items), by position in ``cleaned``.
    ready: dict[int, tuple[tuple[str, str], ...]] = {}
    #: Identities encrypted ahead (key id, field → ciphertext) and codes drawn ahead, likewise.
    sealed: dict[int, tuple[int | None, dict[str, str]]] = {}
    drawn: list[str] = []
    statuses = set(Person.Status.values)
    identity_fields = frozenset(Person.IDENTITY_FIELDS)
    index_key = blind_index_key()
    for index, item in enumerate(identities):
        if isinstance(item, PreparedIdentity):
            if item.errors:
                errors.extend((index, name, message) for name, message in item.errors)
                continue
            if item.index_key != index_key:  # prepared under another key: index again
                item = item._replace(
                    indexes=tuple(
                        (str(k), v) for k, v in sorted(identity_index_values(item.identity))
                    )
                )
            ready[len(cleaned)] = item.indexes
            if item.sealed is not None:
                sealed[len(cleaned)] = (item.sealed_key, item.sealed)
            drawn.append(item.code)
            cleaned.append((item.status, item.identity))
            continue
        if not allowed.issuperset(item):
            for name in sorted(set(item) - allowed):
                errors.append((index, name, _("This field cannot be set here.")))
        status = item.get("status") or Person.Status.UNKNOWN
        if status not in statuses:
            errors.append((index, "status", _("%(value)r is not a status.") % {"value": status}))
        try:
            identity = _clean_identity({k: v for k, v in item.items() if k in identity_fields})
        except ValidationError as exc:
            _collect(errors, index, exc)
            continue
        drawn.append("")
        cleaned.append((str(status), identity))
    if errors:
        raise BulkRowErrors(errors)
    creator = _actor_or_none(actor)
    creator_id = creator.pk if creator is not None else None
    org_id = organisation.pk
    now = timezone.now()
    codes = free_codes(Person, org_id, PERSON_CODE_PREFIX, len(cleaned), drawn)
    with transaction.atomic():
        ids = bulk.allocate_ids(Person, len(cleaned))
        columns, rows = _person_rows(org_id, creator_id, now, ids, codes, cleaned, sealed)
        bulk.insert_rows(Person, columns, rows)
        index_rows = [
            (org_id, pk, str(kind), value)
            for position, (pk, (_status, identity)) in enumerate(zip(ids, cleaned, strict=True))
            for kind, value in (
                ready[position]
                if position in ready
                else sorted(identity_index_values(identity, index_key))
            )
        ]
        bulk.insert_rows(  # ids from the database: nobody needs them back
            PersonIndex, ["organisation_id", "person_id", "kind", "value"], index_rows
        )
        extra = {"source": source} if source else {}
        object_type = Person._meta.label_lower
        append_many(
            Event(
                action="violations.person.created",
                actor=actor,
                object_type=object_type,
                object_id=str(pk),
                organisation_id=org_id,
                diff={
                    "code": code,
                    "status": status,
                    "identity_fields": sorted(k for k, v in identity.items() if v is not None),
                    **extra,
                },
            )
            for pk, code, (status, identity) in zip(ids, codes, cleaned, strict=True)
        )
    if not instances:
        return [NewPerson(pk, code, org_id) for pk, code in zip(ids, codes, strict=True)]
    persons = []
    for pk, code, (status, identity) in zip(ids, codes, cleaned, strict=True):
        person = Person(
            id=pk,
            organisation_id=org_id,
            code=code,
            status=status,
            created_by_id=creator_id,
            created_at=now,
            updated_at=now,
            **identity,
        )  # the instances keep the plaintext, as after save()
        person._state.adding = False
        person._state.db = transaction.get_connection().alias
        persons.append(person)
    return persons


_ENCRYPTED_PERSON_FIELDS = {
    f.name: f for f in Person._meta.concrete_fields if isinstance(f, EncryptedField)
}


def _person_rows(
    org_id: int,
    creator_id: int | None,
    now: dt.datetime,
    ids: Sequence[int],
    codes: Sequence[str],
    cleaned: Sequence[tuple[str, Mapping[str, Any]]],
    sealed: Mapping[int, tuple[int | None, dict[str, str]]] | None = None,
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Person rows as ``bulk.insert`` writes them (columns, values), built
    from tuples: a template row from a ``Person`` holding only the shared values, then per
    person its id, code, status and its identity fields encrypted (``EncryptedField.pre_save``
    with the organisation's key looked up once per field for the batch). ``sealed`` (by
    position): identities encrypted ahead, used as they are when their key is the active one
    (else encrypted again here)."""
    template = Person(
        organisation_id=org_id,
        code="",
        created_by_id=creator_id,
        created_at=now,
        updated_at=now,
    )
    attnames, values = bulk.prepared_row(template)
    position = {name: i for i, name in enumerate(attnames)}
    if any(values[position[name]] is not None for name in _ENCRYPTED_PERSON_FIELDS):
        raise RuntimeError("Person's identity fields must have no default")  # never encrypted
    at_id, at_code, at_status = position["id"], position["code"], position["status"]
    scope = keyring.org_scope(org_id)
    sealer: IdentitySealer | None = None  # the active key's, looked up at the first identity
    rows: list[tuple[Any, ...]] = []
    for index, (pk, code, (status, identity)) in enumerate(zip(ids, codes, cleaned, strict=True)):
        row = values.copy()
        row[at_id] = pk
        row[at_code] = code
        row[at_status] = status
        if any(value is not None for value in identity.values()):
            if sealer is None:
                sealer = _identity_sealer(scope, keyring.keyring.active_key_id(scope))
            ahead = sealed.get(index) if sealed else None
            fields = ahead[1] if ahead is not None and ahead[0] == sealer.key_id else None
            for name, ciphertext in (fields or sealer.seal(identity)).items():
                row[position[name]] = ciphertext
        rows.append(tuple(row))
    return attnames, rows


def _sealer(
    field: EncryptedField, scope: str, key_id: int | None = None
) -> Callable[[Any], keyring.Ciphertext | None]:
    """``field.pre_save`` of a value, with the key (the active one, or ``key_id``) looked up
    once."""
    seal = keyring.encryptor(scope, field.context, key_id)
    to_bytes, is_empty = field.to_bytes, field.is_empty

    def convert(value: Any) -> keyring.Ciphertext | None:
        if is_empty(value):
            return None
        if isinstance(value, keyring.Ciphertext):
            return value
        return seal(to_bytes(value))

    return convert


def bulk_create_incidents(
    actor: User | None,
    organisation: Organisation,
    rows: Sequence[Mapping[str, Any]],
    *,
    source: str = "",
    reindex: bool = True,
) -> list[Incident]:
    """Create many incidents with their ``locations`` (importer, demo). Rows hold
    ``Incident`` fields (``status`` draft or documented; verified needs ``record.verify``)
    and an optional ``locations`` list. Validated first (:class:`BulkRowErrors`), then one
    transaction with one audit entry per incident (``source`` added to its diff when given)
    and the search index (``reindex=False``: the caller reindexes them, e.g. after adding
    their violations with :func:`bulk_create_violations`)."""
    _require(actor, "create_incident", organisation)
    allowed = INCIDENT_FIELDS | {"status", "locations"}
    may_verify = actor is None or bool(policy.can(actor, "verify_records", organisation))
    creator = _actor_or_none(actor)
    now = timezone.now()
    errors: list[tuple[int, str, str]] = []
    incidents: list[Incident] = []
    locations: list[list[Location]] = []
    for index, row in enumerate(rows):
        for name in sorted(set(row) - allowed):
            errors.append((index, name, _("This field cannot be set here.")))
        fields = {k: v for k, v in row.items() if k in INCIDENT_FIELDS | {"status"}}
        incident = Incident(
            organisation=organisation, created_by=creator, created_at=now, updated_at=now, **fields
        )
        incident.title = (incident.title or "").strip()
        incident.country = (incident.country or "").upper()
        if incident.status == Incident.Status.VERIFIED and not may_verify:
            errors.append(
                (index, "status", _("Your role does not allow marking records as verified."))
            )
        try:
            _clean_given(incident, fields, always=["title"])
        except ValidationError as exc:
            _collect(errors, index, exc)
            continue
        places = []
        for position, data in enumerate(row.get("locations") or []):
            prefix = f"locations[{position}]."
            unknown = sorted(set(data) - LOCATION_FIELDS)
            for name in unknown:
                errors.append((index, prefix + name, _("This field cannot be set here.")))
            if unknown:
                continue
            location = Location(organisation=organisation, **data)
            location.country = (location.country or incident.country or "").upper()
            try:
                _clean_given(location, data, always=["country"])
            except ValidationError as exc:
                _collect(errors, index, exc, prefix)
                continue
            places.append(location)
        incidents.append(incident)
        locations.append(places)
    if errors:
        raise BulkRowErrors(errors)
    with transaction.atomic():
        bulk.insert(Incident, incidents)
        for incident, places in zip(incidents, locations, strict=True):
            for location in places:
                location.incident = incident
        bulk.insert(Location, [loc for places in locations for loc in places])
        extra = {"source": source} if source else {}
        append_many(
            [
                Event(
                    action="violations.incident.created",
                    actor=actor,
                    obj=incident,
                    organisation_id=organisation.pk,
                    diff={
                        **_snapshot(incident, [*sorted(INCIDENT_FIELDS), "status"]),
                        "locations": [loc.pk for loc in places],
                        **extra,
                    },
                )
                for incident, places in zip(incidents, locations, strict=True)
            ]
        )
        if reindex:
            reindex_incidents([incident.pk for incident in incidents])
    return incidents


def bulk_create_perpetrations(
    actor: User | None,
    organisation: Organisation,
    rows: Sequence[Mapping[str, Any]],
    *,
    reindex: bool = True,
) -> list[Perpetration]:
    """Attribute many violations at once. Rows: ``violation`` (object or id), ``unit``
    (object or id) and/or ``person`` (object or code), ``involvement``, optional ``note``."""
    _require(actor, "bulk_create_violations", organisation)
    org_id = organisation.pk
    found_violations = _resolve(rows, "violation", Violation, org_id, "pk")
    found_units = _resolve(rows, "unit", Unit, org_id, "pk")
    found_persons = _resolve(rows, "person", Person, org_id, "code")
    now = timezone.now()
    errors: list[tuple[int, str, str]] = []
    created: list[Perpetration] = []
    allowed_incidents: dict[int, bool] = {}
    for index, row in enumerate(rows):
        for name in sorted(set(row) - {"violation", "unit", "person", "involvement", "note"}):
            errors.append((index, name, _("This field cannot be set here.")))
        objs: dict[str, Any] = {}
        for key, table in [
            ("violation", found_violations),
            ("unit", found_units),
            ("person", found_persons),
        ]:
            value = row.get(key)
            if value in (None, ""):
                objs[key] = None
            elif isinstance(value, Model):
                objs[key] = value if getattr(value, "organisation_id", None) == org_id else None
                if objs[key] is None:
                    errors.append((index, key, _("This record belongs to another organisation.")))
            else:
                objs[key] = table.get(value) or table.get(str(value))
                if objs[key] is None:
                    errors.append((index, key, _("%(value)s was not found.") % {"value": value}))
        violation = objs["violation"]
        if violation is None:
            if row.get("violation") in (None, ""):
                errors.append((index, "violation", _("This field is required.")))
            continue
        if actor is not None:
            if violation.incident_id not in allowed_incidents:
                allowed_incidents[violation.incident_id] = bool(
                    policy.can(actor, "change", violation)
                )
            if not allowed_incidents[violation.incident_id]:
                errors.append((index, "violation", _("You may not change this violation.")))
                continue
        perpetration = Perpetration(
            organisation_id=org_id,
            violation=violation,
            unit=objs["unit"],
            person=objs["person"],
            involvement=row.get("involvement") or "",
            note=row.get("note") or "",
            created_at=now,
        )
        try:
            _clean_given(perpetration, ["involvement"])
        except ValidationError as exc:
            _collect(errors, index, exc)
            continue
        created.append(perpetration)
    if errors:
        raise BulkRowErrors(errors)
    with transaction.atomic():
        bulk.insert(Perpetration, created)
        append_many(
            [
                Event(
                    action="violations.perpetration.created",
                    actor=actor,
                    obj=p,
                    organisation_id=org_id,
                    diff={
                        "violation": p.violation_id,
                        "person": p.person.code if p.person else None,
                        "unit": p.unit_id,
                        "involvement": p.involvement,
                    },
                )
                for p in created
            ]
        )
        if reindex:
            reindex_incidents({p.violation.incident_id for p in created if p.unit_id})
    return created
