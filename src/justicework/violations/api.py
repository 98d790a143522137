"""REST endpoints for incidents, violations, persons, victim groups, units, perpetrations and
sources (mounted by ``ViolationsConfig.ready`` under ``/api/v1/``).

Reads go through ``policy.visible`` / ``policy.get_or_404``; writes call ``actions``. Persons are
pseudonymous here (code and status); identities only come from ``POST /persons/{id}/reveal``
(need-to-know, audited). Identity input travels in request bodies only, never in URLs.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from justicework.api.core import Message
from justicework.api.pagination import CursorPagination
from justicework.api.types import Id, QueryText
from justicework.core import policy
from justicework.core.models import AccessGrant, Organisation, User
from justicework.violations import actions, duplicates, queries
from justicework.violations.models import (
    Incident,
    IncidentRelation,
    Location,
    Perpetration,
    Person,
    PersonRole,
    Source,
    Unit,
    UnitCommander,
    VictimGroup,
    Violation,
)
from justicework.violations.schemas import (
    BulkIn,
    BulkOut,
    CommanderIn,
    CommanderOut,
    CommanderPatch,
    DuplicatesIn,
    DuplicatesOut,
    GrantIn,
    GrantOut,
    GroupIn,
    GroupOut,
    GroupPatch,
    IdentityOut,
    IncidentIn,
    IncidentOut,
    IncidentPatch,
    ListFilters,
    LocationIn,
    LocationOut,
    LocationPatch,
    PerpetrationIn,
    PerpetrationOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    PersonRoleIn,
    PersonRoleOut,
    PersonStatus,
    RelationIn,
    RelationOut,
    SourceIn,
    SourceLinkIn,
    SourceOut,
    SourcePatch,
    StatusIn,
    UnitIn,
    UnitOut,
    UnitPatch,
    ViolationIn,
    ViolationOut,
    ViolationPatch,
)

incidents = Router(tags=["incidents"])
violations = Router(tags=["violations"])
persons = Router(tags=["persons"])
groups = Router(tags=["victim groups"])
units = Router(tags=["units"])
perpetrations = Router(tags=["perpetrations"])
sources = Router(tags=["sources"])

#: (prefix, router) pairs mounted under /api/v1.
ROUTERS = [
    ("/incidents", incidents),
    ("/violations", violations),
    ("/persons", persons),
    ("/victim-groups", groups),
    ("/units", units),
    ("/perpetrations", perpetrations),
    ("/sources", sources),
]


def acting_user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # the API's auth refused anonymous users
    return user


def _org(user: User, organisation_id: int, action: str) -> Organisation:
    """The organisation to create in: 404 unless the user may ``action`` there."""
    return policy.get_or_404(user, Organisation, action, pk=organisation_id)


def _query_errors(exc: ValidationError) -> NinjaValidationError:
    detail: list[dict[str, Any]] = []
    for field, messages in exc.message_dict.items():
        detail.extend({"loc": ["query", field], "msg": str(m)} for m in messages)
    return NinjaValidationError(detail)


def _changes(payload: Schema) -> dict[str, Any]:
    return payload.dict(exclude_unset=True)


def _patch_dates(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("date_approximate") is None:
        data.pop("date_approximate", None)
    if data.get("date_precision") is None:
        data.pop("date_precision", None)
    return data


# --- Incidents -----------------------------------------------------------------------------------


def _incident_queryset(user: User) -> QuerySet[Incident]:
    return policy.visible(user, Incident, "view").prefetch_related(
        Prefetch("locations", queryset=Location.objects.order_by("pk"))
    )


@incidents.get("", response=list[IncidentOut], summary="Incidents you may see")
@paginate(CursorPagination, ordering=("-created_at",))
def list_incidents(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    try:
        found = queries.search_incidents(acting_user(request), filters.as_filters())
    except ValidationError as exc:
        raise _query_errors(exc) from exc
    return found.prefetch_related(Prefetch("locations", queryset=Location.objects.order_by("pk")))


@incidents.post("", response={201: IncidentOut})
def create_incident(request: HttpRequest, payload: IncidentIn) -> Any:
    user = acting_user(request)
    org = _org(user, payload.organisation_id, "create_incident")
    data = payload.dict(exclude={"organisation_id"})
    data = _patch_dates(data)
    incident = actions.create_incident(user, org, **data)
    return Status(201, _incident_queryset(user).get(pk=incident.pk))


@incidents.get("/{int:incident_id}", response=IncidentOut)
def get_incident(request: HttpRequest, incident_id: Id) -> Any:
    return policy.get_or_404(
        acting_user(request), _incident_queryset(acting_user(request)), "view", pk=incident_id
    )


@incidents.patch("/{int:incident_id}", response=IncidentOut)
def update_incident(request: HttpRequest, incident_id: Id, payload: IncidentPatch) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=incident_id)
    actions.update_incident(user, incident, **_patch_dates(_changes(payload)))
    return _incident_queryset(user).get(pk=incident.pk)


@incidents.delete("/{int:incident_id}", response={204: None})
def delete_incident(request: HttpRequest, incident_id: Id) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=incident_id)
    actions.delete_incident(user, incident)
    return Status(204, None)


@incidents.post("/{int:incident_id}/status", response=IncidentOut)
def change_status(request: HttpRequest, incident_id: Id, payload: StatusIn) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=incident_id)
    actions.change_incident_status(user, incident, payload.status)
    return _incident_queryset(user).get(pk=incident.pk)


@incidents.post("/{int:incident_id}/locations", response={201: LocationOut})
def add_location(request: HttpRequest, incident_id: Id, payload: LocationIn) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=incident_id)
    return Status(201, actions.add_location(user, incident, **payload.dict()))


@incidents.patch("/locations/{int:location_id}", response=LocationOut)
def update_location(request: HttpRequest, location_id: Id, payload: LocationPatch) -> Any:
    user = acting_user(request)
    location = policy.get_or_404(user, Location, "view", pk=location_id)
    return actions.update_location(user, location, **_changes(payload))


@incidents.delete("/locations/{int:location_id}", response={204: None})
def delete_location(request: HttpRequest, location_id: Id) -> Any:
    user = acting_user(request)
    location = policy.get_or_404(user, Location, "view", pk=location_id)
    actions.remove_location(user, location)
    return Status(204, None)


@incidents.get("/{int:incident_id}/relations", response=list[RelationOut])
def list_relations(request: HttpRequest, incident_id: Id) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=incident_id)
    return list(policy.visible(user, IncidentRelation, "view").filter(from_incident=incident))


@incidents.post("/{int:incident_id}/relations", response={201: RelationOut})
def relate(request: HttpRequest, incident_id: Id, payload: RelationIn) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=incident_id)
    other = policy.get_or_404(user, Incident, "view", pk=payload.to_incident_id)
    relation = actions.relate_incidents(user, incident, other, payload.kind, payload.note)
    return Status(201, relation)


@incidents.delete("/relations/{int:relation_id}", response={204: None})
def unrelate(request: HttpRequest, relation_id: Id) -> Any:
    user = acting_user(request)
    relation = policy.get_or_404(user, IncidentRelation, "view", pk=relation_id)
    actions.unrelate_incidents(user, relation)
    return Status(204, None)


@incidents.post("/{int:incident_id}/access-grants", response={201: GrantOut})
def grant_incident_access(request: HttpRequest, incident_id: Id, payload: GrantIn) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "grant_access", pk=incident_id)
    grantee = policy.get_or_404(user, User, "view", pk=payload.user_id)
    grant = actions.grant_incident_access(
        user, grantee, incident, payload.reason, payload.expires_at
    )
    return Status(201, grant)


# --- Violations ----------------------------------------------------------------------------------


def _violation_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """Turn ``*_id`` keys into visible objects (404 if not visible)."""
    if "location_id" in data:
        pk = data.pop("location_id")
        data["location"] = policy.get_or_404(user, Location, "view", pk=pk) if pk else None
    if "victim_group_id" in data:
        pk = data.pop("victim_group_id")
        data["victim_group"] = policy.get_or_404(user, VictimGroup, "view", pk=pk) if pk else None
    for name in ("method", "description", "consequences", "victim_outcome"):
        if name in data and data[name] is None:
            data[name] = "" if name != "victim_outcome" else Violation.VictimOutcome.UNKNOWN
    return _patch_dates(data)


@violations.get("", response=list[ViolationOut], summary="Violations you may see")
@paginate(CursorPagination, ordering=("-created_at",))
def list_violations(
    request: HttpRequest,
    filters: Query[ListFilters],
    incident: Id | None = None,
) -> Any:
    queryset = policy.visible(acting_user(request), Violation, "view")
    if incident is not None:
        queryset = queryset.filter(incident_id=incident)
    try:
        return queries.filter_violations(queryset, filters.as_filters())
    except ValidationError as exc:
        raise _query_errors(exc) from exc


@violations.post("", response={201: ViolationOut})
def create_violation(request: HttpRequest, payload: ViolationIn) -> Any:
    user = acting_user(request)
    incident = policy.get_or_404(user, Incident, "view", pk=payload.incident_id)
    data = payload.dict(exclude={"incident_id", "victim_id"}, exclude_none=True)
    victim = (
        policy.get_or_404(user, Person, "view", pk=payload.victim_id) if payload.victim_id else None
    )
    violation = actions.add_violation(
        user, incident, victim=victim, **_violation_fields(user, data)
    )
    return Status(201, violation)


@violations.post("/bulk", response={201: BulkOut}, summary="Create many violations at once")
def bulk_create(request: HttpRequest, payload: BulkIn) -> Any:
    user = acting_user(request)
    org = _org(user, payload.organisation_id, "bulk_create_violations")
    rows = []
    for row in payload.rows:
        data = row.dict(exclude_none=True)
        item: dict[str, Any] = {"incident": data.pop("incident_id")}
        if "victim_code" in data:
            item["victim"] = data.pop("victim_code")
        if "victim_group_code" in data:
            item["victim_group"] = data.pop("victim_group_code")
        if "location_id" in data:
            item["location"] = data.pop("location_id")
        data.pop("victim_group_id", None)
        rows.append({**item, **data})
    try:
        created = actions.bulk_create_violations(user, org, rows)
    except actions.BulkRowErrors as exc:
        raise NinjaValidationError(
            [{"loc": ["body", "rows", index, field], "msg": msg} for index, field, msg in exc.rows]
        ) from exc
    return Status(201, {"created": len(created), "ids": [v.pk for v in created]})


@violations.get("/{int:violation_id}", response=ViolationOut)
def get_violation(request: HttpRequest, violation_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), Violation, "view", pk=violation_id)


@violations.patch("/{int:violation_id}", response=ViolationOut)
def update_violation(request: HttpRequest, violation_id: Id, payload: ViolationPatch) -> Any:
    user = acting_user(request)
    violation = policy.get_or_404(user, Violation, "view", pk=violation_id)
    return actions.update_violation(user, violation, **_violation_fields(user, _changes(payload)))


@violations.delete("/{int:violation_id}", response={204: None})
def delete_violation(request: HttpRequest, violation_id: Id) -> Any:
    user = acting_user(request)
    violation = policy.get_or_404(user, Violation, "view", pk=violation_id)
    actions.remove_violation(user, violation)
    return Status(204, None)


@violations.get("/{int:violation_id}/persons", response=list[PersonRoleOut])
def list_person_roles(request: HttpRequest, violation_id: Id) -> Any:
    user = acting_user(request)
    violation = policy.get_or_404(user, Violation, "view", pk=violation_id)
    return list(
        policy.visible(user, PersonRole, "view")
        .filter(violation=violation)
        .select_related("person")
    )


@violations.post("/{int:violation_id}/persons", response={201: PersonRoleOut})
def link_person(request: HttpRequest, violation_id: Id, payload: PersonRoleIn) -> Any:
    user = acting_user(request)
    violation = policy.get_or_404(user, Violation, "view", pk=violation_id)
    person = policy.get_or_404(user, Person, "view", pk=payload.person_id)
    return Status(201, actions.link_person(user, violation, person, payload.role))


@violations.delete("/person-roles/{int:role_id}", response={204: None})
def unlink_person(request: HttpRequest, role_id: Id) -> Any:
    user = acting_user(request)
    link = policy.get_or_404(user, PersonRole.objects.select_related("person"), "view", pk=role_id)
    actions.unlink_person(user, link)
    return Status(204, None)


# --- Persons -------------------------------------------------------------------------------------


def _identity(data: dict[str, Any]) -> dict[str, Any]:
    """Schema output is plain dicts/lists already; drop explicit nulls of a PATCH (clearing an
    identity field is an explicit empty value: ``""`` or ``[]``)."""
    return {k: v for k, v in data.items() if v is not None or k == "status"}


@persons.get("", response=list[PersonOut], summary="Persons (pseudonymous codes only)")
@paginate(CursorPagination, ordering=("-created_at",))
def list_persons(
    request: HttpRequest,
    organisation: Id | None = None,
    status: PersonStatus | None = None,
    code: QueryText | None = None,
) -> Any:
    queryset = policy.visible(acting_user(request), Person, "view")
    if organisation:
        queryset = queryset.filter(organisation_id=organisation)
    if status:
        queryset = queryset.filter(status=status)
    if code:
        queryset = queryset.filter(code=code.upper())
    return queryset.only("id", "organisation_id", "code", "status", "created_at")


@persons.post("", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    user = acting_user(request)
    org = _org(user, payload.organisation_id, "create_person")
    data = _identity(payload.dict(exclude={"organisation_id"}, exclude_none=True))
    return Status(201, actions.create_person(user, org, **data))


@persons.post(
    "/duplicates",
    response={200: DuplicatesOut, 429: Message},
    summary="Is this identity already recorded? (two fields at least; need-to-know; audited)",
    description=(
        "Give at least two of: a name, the date of birth, document numbers (body only, never "
        "in the URL). A person is reported when at least two given fields match. Codes are "
        "given only for persons whose identity you may open; for the others the answer says a "
        "possible duplicate exists and whom to ask. Rate-limited per user "
        "(`JUSTICEWORK_DUPLICATE_CHECK_RATE_LIMIT`) and audited (blind-index values only)."
    ),
)
def possible_duplicates(request: HttpRequest, payload: DuplicatesIn) -> Any:
    user = acting_user(request)
    org = _org(user, payload.organisation_id, "find_duplicates")
    try:
        check = actions.check_duplicates(
            user, org, name=payload.name, dob=payload.date_of_birth, documents=payload.documents
        )
    except duplicates.RateLimited as exc:
        raise Throttled(wait=exc.wait) from exc
    return _duplicates_answer(check)


def _duplicates_answer(check: duplicates.DuplicateCheck) -> dict[str, Any]:
    if check.undisclosed:
        detail = _(
            "A possible duplicate exists that you have no need-to-know for. Ask the "
            "organisation's identity grantors."
        )
    elif check.codes:
        detail = _("Possible duplicates: check them before recording this person.")
    else:
        detail = _("No possible duplicate found.")
    ask = None
    if check.undisclosed and check.organisation is not None:
        ask = {
            "organisation_id": check.organisation.pk,
            "organisation_name": check.organisation.name,
            "contacts": [vars(c) for c in check.ask],
        }
    return {
        "possible_duplicate": check.possible_duplicate,
        "codes": check.codes,
        "undisclosed": check.undisclosed,
        "detail": detail,
        "ask": ask,
    }


@persons.get("/{int:person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), Person, "view", pk=person_id)


@persons.patch("/{int:person_id}", response=PersonOut)
def update_person(request: HttpRequest, person_id: Id, payload: PersonPatch) -> Any:
    user = acting_user(request)
    person = policy.get_or_404(user, Person, "view", pk=person_id)
    return actions.update_person(user, person, **_identity(_changes(payload)))


@persons.post(
    "/{int:person_id}/reveal",
    response=IdentityOut,
    summary="Open a person's identity (need-to-know grant required; audited)",
)
def reveal_identity(request: HttpRequest, person_id: Id) -> Any:
    user = acting_user(request)
    person = policy.get_or_404(user, Person, "view", pk=person_id)
    return actions.reveal_identity(user, person)


@persons.post("/{int:person_id}/grants", response={201: GrantOut})
def grant_need_to_know(request: HttpRequest, person_id: Id, payload: GrantIn) -> Any:
    user = acting_user(request)
    person = policy.get_or_404(user, Person, "grant_need_to_know", pk=person_id)
    grantee = policy.get_or_404(user, User, "view", pk=payload.user_id)
    grant = actions.grant_need_to_know(user, grantee, person, payload.reason, payload.expires_at)
    return Status(201, grant)


@persons.delete("/grants/{int:grant_id}", response={204: None}, summary="Revoke a grant")
def revoke_grant(request: HttpRequest, grant_id: Id) -> Any:
    user = acting_user(request)
    grant = policy.get_or_404(
        user, AccessGrant.objects.select_related("user"), "revoke", pk=grant_id
    )
    actions.revoke_grant(user, grant)
    return Status(204, None)


# --- Victim groups -------------------------------------------------------------------------------


@groups.get("", response=list[GroupOut])
@paginate(CursorPagination, ordering=("-created_at",))
def list_groups(request: HttpRequest, organisation: Id | None = None) -> Any:
    queryset = policy.visible(acting_user(request), VictimGroup, "view")
    return queryset.filter(organisation_id=organisation) if organisation else queryset


@groups.post("", response={201: GroupOut})
def create_group(request: HttpRequest, payload: GroupIn) -> Any:
    user = acting_user(request)
    org = _org(user, payload.organisation_id, "create_victim_group")
    data = payload.dict(exclude={"organisation_id"})
    return Status(201, actions.create_victim_group(user, org, **data))


@groups.get("/{int:group_id}", response=GroupOut)
def get_group(request: HttpRequest, group_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), VictimGroup, "view", pk=group_id)


@groups.patch("/{int:group_id}", response=GroupOut)
def update_group(request: HttpRequest, group_id: Id, payload: GroupPatch) -> Any:
    user = acting_user(request)
    group = policy.get_or_404(user, VictimGroup, "view", pk=group_id)
    return actions.update_victim_group(user, group, **_changes(payload))


# --- Units ---------------------------------------------------------------------------------------


def _unit_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    if "parent_id" in data:
        pk = data.pop("parent_id")
        data["parent"] = policy.get_or_404(user, Unit, "view", pk=pk) if pk else None
    return {
        k: ("" if v is None and k in {"country", "description"} else v) for k, v in data.items()
    }


@units.get("", response=list[UnitOut])
@paginate(CursorPagination, ordering=("name",))
def list_units(
    request: HttpRequest,
    organisation: Id | None = None,
    kind: QueryText | None = None,
    parent: Id | None = None,
) -> Any:
    queryset = policy.visible(acting_user(request), Unit, "view")
    if organisation:
        queryset = queryset.filter(organisation_id=organisation)
    if kind:
        queryset = queryset.filter(kind=kind)
    if parent:
        queryset = queryset.filter(parent_id=parent)
    return queryset


@units.post("", response={201: UnitOut})
def create_unit(request: HttpRequest, payload: UnitIn) -> Any:
    user = acting_user(request)
    org = _org(user, payload.organisation_id, "create_unit")
    data = _unit_fields(user, payload.dict(exclude={"organisation_id"}))
    return Status(201, actions.create_unit(user, org, **data))


@units.get("/{int:unit_id}", response=UnitOut)
def get_unit(request: HttpRequest, unit_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), Unit, "view", pk=unit_id)


@units.patch("/{int:unit_id}", response=UnitOut)
def update_unit(request: HttpRequest, unit_id: Id, payload: UnitPatch) -> Any:
    user = acting_user(request)
    unit = policy.get_or_404(user, Unit, "view", pk=unit_id)
    return actions.update_unit(user, unit, **_unit_fields(user, _changes(payload)))


@units.get("/{int:unit_id}/commanders", response=list[CommanderOut])
def list_commanders(request: HttpRequest, unit_id: Id) -> Any:
    user = acting_user(request)
    unit = policy.get_or_404(user, Unit, "view", pk=unit_id)
    return list(
        policy.visible(user, UnitCommander, "view").filter(unit=unit).select_related("person")
    )


@units.post("/{int:unit_id}/commanders", response={201: CommanderOut})
def add_commander(request: HttpRequest, unit_id: Id, payload: CommanderIn) -> Any:
    user = acting_user(request)
    unit = policy.get_or_404(user, Unit, "view", pk=unit_id)
    person = policy.get_or_404(user, Person, "view", pk=payload.person_id)
    data = payload.dict(exclude={"person_id"})
    return Status(201, actions.add_unit_commander(user, unit, person, **data))


@units.patch("/commanders/{int:command_id}", response=CommanderOut)
def update_commander(request: HttpRequest, command_id: Id, payload: CommanderPatch) -> Any:
    user = acting_user(request)
    command = policy.get_or_404(
        user, UnitCommander.objects.select_related("person"), "view", pk=command_id
    )
    data = _changes(payload)
    if data.get("title") is None:
        data.pop("title", None)
    return actions.update_unit_commander(user, command, **data)


@units.delete("/commanders/{int:command_id}", response={204: None})
def remove_commander(request: HttpRequest, command_id: Id) -> Any:
    user = acting_user(request)
    command = policy.get_or_404(user, UnitCommander, "view", pk=command_id)
    actions.remove_unit_commander(user, command)
    return Status(204, None)


# --- Perpetrations -------------------------------------------------------------------------------


@perpetrations.get("", response=list[PerpetrationOut])
@paginate(CursorPagination, ordering=("-created_at",))
def list_perpetrations(
    request: HttpRequest,
    organisation: Id | None = None,
    violation: Id | None = None,
    unit: Id | None = None,
    person: Id | None = None,
    involvement: QueryText | None = None,
) -> Any:
    queryset = policy.visible(acting_user(request), Perpetration, "view")
    for name, value in [
        ("organisation_id", organisation),
        ("violation_id", violation),
        ("unit_id", unit),
        ("person_id", person),
        ("involvement", involvement),
    ]:
        if value:
            queryset = queryset.filter(**{name: value})
    return queryset


@perpetrations.post("", response={201: PerpetrationOut})
def create_perpetration(request: HttpRequest, payload: PerpetrationIn) -> Any:
    user = acting_user(request)
    violation = policy.get_or_404(user, Violation, "view", pk=payload.violation_id)
    person = (
        policy.get_or_404(user, Person, "view", pk=payload.person_id) if payload.person_id else None
    )
    unit = policy.get_or_404(user, Unit, "view", pk=payload.unit_id) if payload.unit_id else None
    perpetration = actions.add_perpetration(
        user,
        violation,
        person=person,
        unit=unit,
        involvement=payload.involvement,
        note=payload.note,
    )
    return Status(201, perpetration)


@perpetrations.get("/{int:perpetration_id}", response=PerpetrationOut)
def get_perpetration(request: HttpRequest, perpetration_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), Perpetration, "view", pk=perpetration_id)


@perpetrations.delete("/{int:perpetration_id}", response={204: None})
def delete_perpetration(request: HttpRequest, perpetration_id: Id) -> Any:
    user = acting_user(request)
    perpetration = policy.get_or_404(
        user, Perpetration.objects.select_related("violation"), "view", pk=perpetration_id
    )
    actions.remove_perpetration(user, perpetration)
    return Status(204, None)


# --- Sources -------------------------------------------------------------------------------------


@sources.get("", response=list[SourceOut])
@paginate(CursorPagination, ordering=("-created_at",))
def list_sources(
    request: HttpRequest,
    organisation: Id | None = None,
    kind: QueryText | None = None,
    reliability: QueryText | None = None,
    credibility: QueryText | None = None,
    incident: Id | None = None,
    violation: Id | None = None,
) -> Any:
    queryset = policy.visible(acting_user(request), Source, "view")
    for name, value in [
        ("organisation_id", organisation),
        ("kind", kind),
        ("reliability", reliability),
        ("credibility", credibility),
        ("incidents", incident),
        ("violations", violation),
    ]:
        if value:
            queryset = queryset.filter(**{name: value})
    return queryset.distinct() if incident or violation else queryset


@sources.post("", response={201: SourceOut})
def create_source(request: HttpRequest, payload: SourceIn) -> Any:
    user = acting_user(request)
    org = _org(user, payload.organisation_id, "create_source")
    data = payload.dict(exclude={"organisation_id", "incident_ids", "violation_ids", "person_id"})
    person = (
        policy.get_or_404(user, Person, "view", pk=payload.person_id) if payload.person_id else None
    )
    linked_incidents = [
        policy.get_or_404(user, Incident, "view", pk=pk) for pk in payload.incident_ids
    ]
    linked_violations = [
        policy.get_or_404(user, Violation, "view", pk=pk) for pk in payload.violation_ids
    ]
    source = actions.create_source(
        user,
        org,
        person=person,
        incidents=linked_incidents,
        violations=linked_violations,
        **data,
    )
    return Status(201, source)


@sources.get("/{int:source_id}", response=SourceOut)
def get_source(request: HttpRequest, source_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), Source, "view", pk=source_id)


@sources.patch("/{int:source_id}", response=SourceOut)
def update_source(request: HttpRequest, source_id: Id, payload: SourcePatch) -> Any:
    user = acting_user(request)
    source = policy.get_or_404(user, Source, "view", pk=source_id)
    data = {k: ("" if v is None and k != "date" else v) for k, v in _changes(payload).items()}
    return actions.update_source(user, source, **data)


def _link_targets(user: User, payload: SourceLinkIn) -> dict[str, Any]:
    return {
        "incident": policy.get_or_404(user, Incident, "view", pk=payload.incident_id)
        if payload.incident_id
        else None,
        "violation": policy.get_or_404(user, Violation, "view", pk=payload.violation_id)
        if payload.violation_id
        else None,
    }


@sources.post("/{int:source_id}/links", response=SourceOut)
def link_source(request: HttpRequest, source_id: Id, payload: SourceLinkIn) -> Any:
    user = acting_user(request)
    source = policy.get_or_404(user, Source, "view", pk=source_id)
    return actions.link_source(user, source, **_link_targets(user, payload))


@sources.delete("/{int:source_id}/links", response=SourceOut)
def unlink_source(request: HttpRequest, source_id: Id, payload: SourceLinkIn) -> Any:
    user = acting_user(request)
    source = policy.get_or_404(user, Source, "view", pk=source_id)
    return actions.unlink_source(user, source, **_link_targets(user, payload))


def register() -> None:
    from justicework.api import router_registry

    for prefix, router in ROUTERS:
        router_registry.register(prefix, router)
