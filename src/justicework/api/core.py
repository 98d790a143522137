"""Endpoints for the signed-in person, organisations, memberships and API tokens."""

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from justicework.api.auth import via_token
from justicework.api.pagination import CursorPagination
from justicework.api.types import Id, InputSchema, choices
from justicework.core import actions, policy
from justicework.core.middleware import ACTIVE_ORG_SESSION_KEY
from justicework.core.models import ApiToken, Membership, Organisation, User
from justicework.core.roles import Role

router = Router(tags=["accounts"])

if TYPE_CHECKING:
    OrganisationRole = Role
    OrganisationKind = Organisation.Kind
    TokenScope = ApiToken.Scope
else:  # the same values under names of their own in the OpenAPI document
    OrganisationRole = choices("OrganisationRole", Role)
    OrganisationKind = choices("OrganisationKind", Organisation.Kind)
    TokenScope = choices("TokenScope", ApiToken.Scope)


def acting_user(request: HttpRequest) -> User:
    """The authenticated user (token or session); auth has already refused anonymous callers."""
    user: User = request.user  # type: ignore[assignment]  # auth refused AnonymousUser
    return user  # narrowed by the API's auth: never anonymous here


# --- Schemas ------------------------------------------------------------------------------------


class MembershipOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    user_id: int
    user_email: str = Field(..., alias="user.email")
    user_display_name: str = Field(..., alias="user.display_name")
    role: OrganisationRole
    created_at: dt.datetime


class MyMembershipOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    role: OrganisationRole
    capabilities: list[str]

    @staticmethod
    def resolve_capabilities(obj: Membership) -> list[str]:
        return sorted(str(c) for c in obj.capabilities)


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    requires_mfa: bool
    active_organisation_id: int | None
    memberships: list[MyMembershipOut]


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    kind: OrganisationKind
    countries: list[str]


class MembershipIn(InputSchema):
    email: str = Field(..., min_length=3, max_length=254)
    role: OrganisationRole


class RoleIn(InputSchema):
    role: OrganisationRole


class TokenOut(Schema):
    id: int
    name: str
    scope: TokenScope
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(..., description="Shown once. Store it now; it cannot be shown again.")


class TokenIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    scope: Literal["read", "write"]
    expires_in_days: int = Field(
        ..., ge=1, le=36500, description="At most API_TOKEN_MAX_DAYS (365 unless configured)."
    )


class Message(Schema):
    detail: str


# --- Me -----------------------------------------------------------------------------------------


@router.get("/me", response=MeOut, summary="The signed-in person and their memberships")
def me(request: HttpRequest) -> dict[str, Any]:
    user = acting_user(request)
    memberships = user.active_memberships()
    active = None
    if not via_token(request) and hasattr(request, "session"):
        wanted = request.session.get(ACTIVE_ORG_SESSION_KEY)
        active = next((m for m in memberships if m.organisation_id == wanted), None)
    if active is None and memberships:
        active = memberships[0]
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "requires_mfa": user.requires_mfa,
        "active_organisation_id": active.organisation_id if active else None,
        "memberships": memberships,
    }


# --- Organisations ------------------------------------------------------------------------------


@router.get("/organisations", response=list[OrganisationOut])
@paginate(CursorPagination, ordering=("name",))
def list_organisations(request: HttpRequest) -> Any:
    return policy.visible(acting_user(request), Organisation, "view")


@router.get("/organisations/{org_id}", response=OrganisationOut)
def get_organisation(request: HttpRequest, org_id: Id) -> Organisation:
    return policy.get_or_404(acting_user(request), Organisation, "view", pk=org_id)


@router.get("/organisations/{org_id}/memberships", response=list[MembershipOut])
@paginate(CursorPagination, ordering=("created_at",))
def list_memberships(request: HttpRequest, org_id: Id) -> Any:
    user = acting_user(request)
    org = policy.get_or_404(user, Organisation, "view_members", pk=org_id)
    return (
        policy.visible(user, Membership, "view")
        .filter(organisation=org)
        .select_related("organisation", "user")
    )


@router.post("/organisations/{org_id}/memberships", response={201: MembershipOut})
def add_membership(request: HttpRequest, org_id: Id, payload: MembershipIn) -> Any:
    user = acting_user(request)
    org = policy.get_or_404(user, Organisation, "view_members", pk=org_id)
    membership = actions.invite_member(user, org, email=payload.email, role=payload.role)
    return Status(201, membership)


@router.patch("/memberships/{membership_id}", response=MembershipOut)
def change_membership_role(request: HttpRequest, membership_id: Id, payload: RoleIn) -> Any:
    user = acting_user(request)
    queryset = Membership.objects.select_related("organisation", "user")
    membership = policy.get_or_404(user, queryset, "view", pk=membership_id)
    return actions.change_role(user, membership, payload.role)


@router.delete("/memberships/{membership_id}", response={204: None})
def delete_membership(request: HttpRequest, membership_id: Id) -> Any:
    user = acting_user(request)
    membership = policy.get_or_404(user, Membership, "view", pk=membership_id)
    actions.remove_member(user, membership)
    return Status(204, None)


# --- Tokens -------------------------------------------------------------------------------------


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
@paginate(CursorPagination, ordering=("-created_at",))
def list_tokens(request: HttpRequest) -> Any:
    return policy.visible(acting_user(request), ApiToken, "view")


@router.post(
    "/tokens",
    response={201: TokenCreatedOut, 403: Message},
    summary="Create an API token (signed-in session only)",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    if via_token(request):
        # A token that can mint tokens could extend its own life for ever.
        return Status(
            403, {"detail": _("Create tokens from a signed-in session, not with a token.")}
        )
    token, secret = actions.create_token(
        acting_user(request),
        name=payload.name,
        scope=payload.scope,
        expires_in_days=payload.expires_in_days,
    )
    data = TokenOut.from_orm(token).dict()
    return Status(201, {**data, "secret": secret})


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of my tokens")
def revoke_token(request: HttpRequest, token_id: Id) -> Any:
    user = acting_user(request)
    token = policy.get_or_404(user, ApiToken, "revoke", pk=token_id)
    actions.revoke_token(user, token)
    return Status(204, None)
