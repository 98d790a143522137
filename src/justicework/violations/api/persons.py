"""Persons: pseudonymous here (code and status); the identity only through ``reveal``
(need-to-know, audited), duplicate checks and need-to-know grants. Identity input travels in
request bodies only, never in URLs.

Mounted by ``violations.api`` under ``/api/v1/``; reads through the policy, writes through actions.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import Throttled
from ninja.pagination import paginate

from justicework.api.core import Message
from justicework.api.pagination import CursorPagination
from justicework.api.types import Id, QueryText
from justicework.core import policy
from justicework.core.models import AccessGrant, User
from justicework.core.uses import declares
from justicework.violations import actions, duplicates
from justicework.violations.api.common import (
    acting_user,
    changes,
    organisation_or_404,
)
from justicework.violations.models import (
    Person,
)
from justicework.violations.schemas import (
    DuplicatesIn,
    DuplicatesOut,
    GrantIn,
    GrantOut,
    IdentityOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    PersonStatus,
)

router = Router(tags=["persons"])


def _identity(data: dict[str, Any]) -> dict[str, Any]:
    """Schema output is plain dicts/lists already; drop explicit nulls of a PATCH (clearing an
    identity field is an explicit empty value: ``""`` or ``[]``)."""
    return {k: v for k, v in data.items() if v is not None or k == "status"}


@router.get("", response=list[PersonOut], summary="Persons (pseudonymous codes only)")
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


@router.post("", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    user = acting_user(request)
    org = organisation_or_404(user, payload.organisation_id, "create_person")
    data = _identity(payload.dict(exclude={"organisation_id"}, exclude_none=True))
    return Status(201, actions.create_person(user, org, **data))


@router.post(
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
@declares("violations.identity")
def possible_duplicates(request: HttpRequest, payload: DuplicatesIn) -> Any:
    user = acting_user(request)
    org = organisation_or_404(user, payload.organisation_id, "find_duplicates")
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


@router.get("/{int:person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: Id) -> Any:
    return policy.get_or_404(acting_user(request), Person, "view", pk=person_id)


@router.patch("/{int:person_id}", response=PersonOut)
def update_person(request: HttpRequest, person_id: Id, payload: PersonPatch) -> Any:
    user = acting_user(request)
    person = policy.get_or_404(user, Person, "view", pk=person_id)
    return actions.update_person(user, person, **_identity(changes(payload)))


@router.post(
    "/{int:person_id}/reveal",
    response=IdentityOut,
    summary="Open a person's identity (need-to-know grant required; audited)",
)
@declares("violations.identity")
def reveal_identity(request: HttpRequest, person_id: Id) -> Any:
    user = acting_user(request)
    person = policy.get_or_404(user, Person, "view", pk=person_id)
    return actions.reveal_identity(user, person)


@router.post("/{int:person_id}/grants", response={201: GrantOut})
def grant_need_to_know(request: HttpRequest, person_id: Id, payload: GrantIn) -> Any:
    user = acting_user(request)
    person = policy.get_or_404(user, Person, "grant_need_to_know", pk=person_id)
    grantee = policy.get_or_404(user, User, "view", pk=payload.user_id)
    grant = actions.grant_need_to_know(user, grantee, person, payload.reason, payload.expires_at)
    return Status(201, grant)


@router.delete("/grants/{int:grant_id}", response={204: None}, summary="Revoke a grant")
def revoke_grant(request: HttpRequest, grant_id: Id) -> Any:
    user = acting_user(request)
    grant = policy.get_or_404(
        user, AccessGrant.objects.select_related("user"), "revoke", pk=grant_id
    )
    actions.revoke_grant(user, grant)
    return Status(204, None)
