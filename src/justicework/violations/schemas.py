"""Request and response schemas of the violations API (``violations.api``).

Request bodies derive from :class:`~justicework.api.types.InputSchema` (strict types, no NUL);
ids are :data:`~justicework.api.types.Id` (``1..2**63-1``); lists and strings are bounded;
enums carry their own OpenAPI names (``PersonRole``, ``VictimGroupKind``, …).
"""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from justicework.api.types import Date, Id, InputSchema, QueryText, Short, choices
from justicework.violations import queries
from justicework.violations.identity_schemas import IdentityIn
from justicework.violations.models import (
    DatePrecision,
    Incident,
    IncidentRelation,
    Location,
    Person,
    PersonRole,
    VictimGroup,
    Violation,
)

#: Bounds of request lists (documented in the OpenAPI document as ``maxItems``).
MAX_LIST = 50
MAX_PERSONS = 10_000_000

if TYPE_CHECKING:
    IncidentContext = Incident.Context
    IncidentStatus = Incident.Status
    IncidentSensitivity = Incident.Sensitivity
    RelationKind = IncidentRelation.Kind
    VictimOutcome = Violation.VictimOutcome
    PersonRoleChoice = PersonRole.Role
    PersonStatus = Person.Status
    VictimGroupKind = VictimGroup.Kind
    LocationPrecision = Location.Precision
else:  # the same values under names of their own in the OpenAPI document
    IncidentContext = choices("IncidentContext", Incident.Context)
    IncidentStatus = choices("IncidentStatus", Incident.Status)
    IncidentSensitivity = choices("IncidentSensitivity", Incident.Sensitivity)
    RelationKind = choices("RelationKind", IncidentRelation.Kind)
    VictimOutcome = choices("VictimOutcome", Violation.VictimOutcome)
    PersonRoleChoice = choices("PersonRole", PersonRole.Role)
    PersonStatus = choices("PersonStatus", Person.Status)
    VictimGroupKind = choices("VictimGroupKind", VictimGroup.Kind)
    LocationPrecision = choices("LocationPrecision", Location.Precision)

# --- Schemas -------------------------------------------------------------------------------------


class DatesIn(InputSchema):
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    date_precision: DatePrecision | None = None
    date_approximate: bool | None = None


class LocationIn(InputSchema):
    country: str = Field("", max_length=2)
    subdivision: str = Field("", max_length=6)
    place_name: str = Field("", max_length=200)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    precision: LocationPrecision = LocationPrecision.LOCALITY


class LocationPatch(InputSchema):
    country: str | None = Field(None, max_length=2)
    subdivision: str | None = Field(None, max_length=6)
    place_name: str | None = Field(None, max_length=200)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    precision: LocationPrecision | None = None


class LocationOut(Schema):
    id: int
    incident_id: int
    country: str
    subdivision: str
    place_name: str
    latitude: float | None
    longitude: float | None
    precision: str


#: The source's own reference of an incident (e.g. a case number): surrounding spaces dropped,
#: at most ``Incident.EXTERNAL_REF_MAX_LENGTH`` characters, as the web form and the importer.
ExternalRef = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=Incident.EXTERNAL_REF_MAX_LENGTH),
    Field(description="The source's own reference of the incident (e.g. a case number)."),
]


class IncidentIn(DatesIn):
    organisation_id: Id
    title: str = Field(..., min_length=1, max_length=300)
    description: str = Field("", max_length=20000)
    country: str = Field("", max_length=2)
    context: IncidentContext = IncidentContext.NONE_KNOWN
    external_ref: ExternalRef = ""
    status: Literal["draft", "documented", "verified"] = "draft"
    sensitivity: IncidentSensitivity = IncidentSensitivity.NORMAL
    locations: list[LocationIn] = Field(default_factory=list, max_length=50)


class IncidentPatch(DatesIn):
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=20000)
    country: str | None = Field(None, max_length=2)
    context: IncidentContext | None = None
    external_ref: ExternalRef | None = None
    sensitivity: IncidentSensitivity | None = None
    reason: str | None = Field(
        None,
        max_length=1000,
        description="Why a verified incident is changed (required then); the change returns "
        "it to documented, to be verified again.",
    )


class IncidentOut(Schema):
    id: int
    organisation_id: int
    title: str
    description: str
    country: str
    context: str
    external_ref: str
    status: str
    sensitivity: str
    start_date: dt.date | None
    end_date: dt.date | None
    date_precision: str
    date_approximate: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    locations: list[LocationOut]


class StatusIn(InputSchema):
    status: IncidentStatus


class RelationIn(InputSchema):
    to_incident_id: Id
    kind: RelationKind
    note: str = Field("", max_length=300)


class RelationOut(Schema):
    id: int
    from_incident_id: int
    to_incident_id: int
    kind: str
    note: str


class GrantIn(InputSchema):
    user_id: Id
    reason: str = Field(..., min_length=1, max_length=300)
    expires_at: dt.datetime | None = None


class GrantOut(Schema):
    id: int
    user_id: int
    capability: str
    object_type: str
    object_id: str
    reason: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class ViolationFields(DatesIn):
    method: str | None = Field(None, max_length=40)
    location_id: Id | None = None
    victim_group_id: Id | None = None
    description: str | None = Field(None, max_length=20000)
    consequences: str | None = Field(None, max_length=20000)
    victim_age: int | None = Field(None, ge=0, le=130)
    victim_outcome: VictimOutcome | None = None


class ViolationIn(ViolationFields):
    incident_id: Id
    type: str = Field(..., min_length=1, max_length=40)
    victim_id: Id | None = None


class ViolationPatch(ViolationFields):
    type: str | None = Field(None, min_length=1, max_length=40)


class ViolationOut(Schema):
    id: int
    organisation_id: int
    incident_id: int
    type: str
    type_label: str
    method: str
    location_id: int | None
    victim_group_id: int | None
    description: str
    consequences: str
    victim_age: int | None
    victim_outcome: str
    start_date: dt.date | None
    end_date: dt.date | None
    date_precision: str
    date_approximate: bool
    created_at: dt.datetime


class BulkRow(ViolationFields):
    incident_id: Id
    type: str = Field(..., min_length=1, max_length=40)
    victim_code: str | None = Field(None, max_length=16)
    victim_group_code: str | None = Field(None, max_length=16)


class BulkIn(InputSchema):
    organisation_id: Id
    rows: list[BulkRow] = Field(..., min_length=1, max_length=10000)


class BulkOut(Schema):
    created: int
    ids: list[int]


class PersonRoleIn(InputSchema):
    person_id: Id
    role: PersonRoleChoice


class PersonRoleOut(Schema):
    id: int
    violation_id: int
    person_id: int
    person_code: str = Field(..., alias="person.code")
    role: str


class PersonIn(IdentityIn):
    organisation_id: Id
    status: PersonStatus = PersonStatus.UNKNOWN


class PersonPatch(IdentityIn):
    status: PersonStatus | None = None


class PersonOut(Schema):
    """Pseudonymous: never an identity field."""

    id: int
    organisation_id: int
    code: str
    status: str
    created_at: dt.datetime


class IdentityOut(Schema):
    code: str
    status: str
    full_name: str | None
    names: list[dict[str, str]] | None
    other_names: list[str] | None
    date_of_birth: dt.date | None
    age_range: dict[str, int | None] | None
    sex: str | None
    gender_identity: str | None
    nationalities: list[str] | None
    ethnicity: str | None
    religion: str | None
    languages: list[str] | None
    contacts: list[Any] | None
    identity_documents: list[dict[str, str]] | None


class DuplicatesIn(InputSchema):
    organisation_id: Id
    name: str | None = Field(None, max_length=300)
    date_of_birth: dt.date | None = None
    documents: list[Short] = Field(default_factory=list, max_length=20)


class ContactOut(Schema):
    display_name: str
    email: str


class AskOut(Schema):
    organisation_id: int
    organisation_name: str
    contacts: list[ContactOut] = Field(
        ..., description="Members who grant need-to-know on identities in this organisation."
    )


class DuplicatesOut(Schema):
    possible_duplicate: bool
    codes: list[str] = Field(
        ..., description="Matched persons whose identity you may open (need-to-know) only."
    )
    undisclosed: int = Field(
        ..., description="Matched persons you have no need-to-know for: their codes are not given."
    )
    detail: str
    ask: AskOut | None = Field(None, description="Whom to ask when some matches are undisclosed.")


class GroupIn(InputSchema):
    organisation_id: Id
    description: str = Field(..., min_length=1, max_length=300)
    number_of_persons: int = Field(..., ge=1, le=MAX_PERSONS)
    kind: VictimGroupKind = VictimGroupKind.GROUP


class GroupPatch(InputSchema):
    description: str | None = Field(None, min_length=1, max_length=300)
    number_of_persons: int | None = Field(None, ge=1, le=MAX_PERSONS)
    kind: VictimGroupKind | None = None


class GroupOut(Schema):
    id: int
    organisation_id: int
    code: str
    kind: str
    description: str
    number_of_persons: int


class UnitIn(InputSchema):
    organisation_id: Id
    name: str = Field(..., min_length=1, max_length=200)
    kind: str = Field(..., min_length=1, max_length=40)
    parent_id: Id | None = None
    country: str = Field("", max_length=2)
    aliases: list[Short] = Field(default_factory=list, max_length=MAX_LIST)
    description: str = Field("", max_length=20000)


class UnitPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = Field(None, min_length=1, max_length=40)
    parent_id: Id | None = None
    country: str | None = Field(None, max_length=2)
    aliases: list[Short] | None = Field(None, max_length=MAX_LIST)
    description: str | None = Field(None, max_length=20000)


class UnitOut(Schema):
    id: int
    organisation_id: int
    name: str
    kind: str
    parent_id: int | None
    country: str
    aliases: list[str]
    description: str


class CommanderIn(InputSchema):
    person_id: Id
    title: str = Field("", max_length=120)
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class CommanderPatch(InputSchema):
    title: str | None = Field(None, max_length=120)
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class CommanderOut(Schema):
    id: int
    unit_id: int
    person_id: int
    person_code: str = Field(..., alias="person.code")
    title: str
    start_date: dt.date | None
    end_date: dt.date | None


class PerpetrationIn(InputSchema):
    violation_id: Id
    person_id: Id | None = None
    unit_id: Id | None = None
    involvement: str = Field(..., min_length=1, max_length=40)
    note: str = Field("", max_length=2000)


class PerpetrationOut(Schema):
    id: int
    violation_id: int
    person_id: int | None
    unit_id: int | None
    involvement: str
    note: str


class SourceIn(InputSchema):
    organisation_id: Id
    kind: str = Field(..., min_length=1, max_length=40)
    title: str = Field(..., min_length=1, max_length=300)
    description: str = Field("", max_length=20000)
    reliability: str = Field("F", min_length=1, max_length=1)
    credibility: str = Field("6", min_length=1, max_length=1)
    language: str = Field("", max_length=8)
    date: dt.date | None = None
    url: str = Field("", max_length=1000)
    person_id: Id | None = None
    incident_ids: list[Id] = Field(default_factory=list, max_length=200)
    violation_ids: list[Id] = Field(default_factory=list, max_length=1000)


class SourcePatch(InputSchema):
    kind: str | None = Field(None, min_length=1, max_length=40)
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=20000)
    reliability: str | None = Field(None, min_length=1, max_length=1)
    credibility: str | None = Field(None, min_length=1, max_length=1)
    language: str | None = Field(None, max_length=8)
    date: dt.date | None = None
    url: str | None = Field(None, max_length=1000)


class SourceLinkIn(InputSchema):
    incident_id: Id | None = None
    violation_id: Id | None = None


class SourceOut(Schema):
    id: int
    organisation_id: int
    kind: str
    title: str
    description: str
    reliability: str
    credibility: str
    grade: str
    language: str
    date: dt.date | None
    url: str
    person_id: int | None


class ListFilters(InputSchema):
    organisation: Id | None = Field(None, description="Owning organisation id.")
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$")
    date_from: Date | None = Field(None, description="Start date on or after.")
    date_to: Date | None = Field(None, description="Start date on or before.")
    type: QueryText | None = Field(
        None, description="Violation type code (narrower types included)."
    )
    unit: Id | None = Field(None, description="Perpetrator unit id (sub-units included).")
    status: IncidentStatus | None = None
    q: str | None = Field(None, max_length=200, description="Full-text words.")

    def as_filters(self) -> queries.Filters:
        return queries.Filters(**self.dict())
