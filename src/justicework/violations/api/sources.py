"""Sources (witnesses, documents, media) and their links to incidents and violations.

Mounted by ``violations.api`` under ``/api/v1/``; reads through the policy, writes through actions.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from justicework.api.pagination import CursorPagination
from justicework.api.types import Id, QueryText
from justicework.core import policy
from justicework.core.models import User
from justicework.violations import actions
from justicework.violations.api.common import (
    acting_user,
    changes,
    organisation_or_404,
)
from justicework.violations.models import (
    Incident,
    Person,
    Source,
    Violation,
)
from justicework.violations.schemas import (
    SourceIn,
    SourceLinkIn,
    SourceOut,
    SourcePatch,
)

router = Router(tags=["sources"])


@router.get("", response=list[SourceOut])
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


@router.post("", response={201: SourceOut})
def create_source(request: HttpRequest, payload: SourceIn) -> Any:
    user = acting_user(request)
    org = organisation_or_404(user, payload.organisation_id, "create_source")
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


@router.get("/{int:source_id}", response=SourceOut)
def get_source(request: HttpRequest, source_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), Source, "view", pk=source_id)


@router.patch("/{int:source_id}", response=SourceOut)
def update_source(request: HttpRequest, source_id: Id, payload: SourcePatch) -> Any:
    user = acting_user(request)
    source = policy.get_or_404(user, Source, "view", pk=source_id)
    data = {k: ("" if v is None and k != "date" else v) for k, v in changes(payload).items()}
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


@router.post("/{int:source_id}/links", response=SourceOut)
def link_source(request: HttpRequest, source_id: Id, payload: SourceLinkIn) -> Any:
    user = acting_user(request)
    source = policy.get_or_404(user, Source, "view", pk=source_id)
    return actions.link_source(user, source, **_link_targets(user, payload))


@router.delete("/{int:source_id}/links", response=SourceOut)
def unlink_source(request: HttpRequest, source_id: Id, payload: SourceLinkIn) -> Any:
    user = acting_user(request)
    source = policy.get_or_404(user, Source, "view", pk=source_id)
    return actions.unlink_source(user, source, **_link_targets(user, payload))
