"""Every write to organisations, users and memberships (STYLE 1).

Each action takes the acting user, checks the policy, validates, writes, and appends the audit
entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from justicework import search
from justicework.audit.chain import diff_fields, record
from justicework.core import policy, tokens
from justicework.core.models import ApiToken, Membership, Organisation, User
from justicework.core.roles import Role


def _validated(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude)


@transaction.atomic
def create_organisation(
    actor: User | None,
    *,
    name: str,
    kind: str,
    countries: list[str] | None = None,
    slug: str = "",
) -> Organisation:
    """Create an organisation. Platform superusers only (``actor=None`` is the system: demo,
    set-up commands)."""
    if actor is not None:
        policy.require(actor, "create", Organisation)
    countries = sorted({c.upper() for c in (countries or [])})
    org = Organisation(
        name=name.strip(), kind=kind, countries=countries, slug=slug or slugify(name)[:60]
    )
    _validated(org)
    org.save()
    search.index([org])
    record(
        actor,
        "core.organisation.created",
        org,
        organisation_id=org.pk,
        diff={"name": name, "kind": kind, "countries": countries},
    )
    return org


@transaction.atomic
def update_organisation(actor: User, org: Organisation, **changes: Any) -> Organisation:
    policy.require(actor, "manage", org)
    allowed = {"name", "kind", "countries"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    before = {field: getattr(org, field) for field in changes}
    if "countries" in changes:
        changes["countries"] = sorted({c.upper() for c in changes["countries"]})
    for field, value in changes.items():
        setattr(org, field, value)
    _validated(org)
    org.save()
    search.index([org])
    record(
        actor,
        "core.organisation.updated",
        org,
        organisation_id=org.pk,
        diff=diff_fields(before, changes),
    )
    return org


@transaction.atomic
def create_user(
    actor: User | None,
    *,
    email: str,
    password: str | None,
    display_name: str = "",
    is_superuser: bool = False,
) -> User:
    """Create a login. ``actor=None`` is the system (demo, set-up commands)."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    user = User(
        email=email,
        username=email,
        display_name=display_name,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    _validated(user, exclude=["password"])
    user.save()
    record(actor, "core.user.created", user, diff={"is_superuser": is_superuser})
    return user


@transaction.atomic
def add_member(actor: User | None, org: Organisation, user: User, role: str) -> Membership:
    if actor is not None:
        policy.require(actor, "manage_members", org)
    if role not in Role.values:
        raise ValidationError({"role": _("%(role)r is not a role.") % {"role": role}})
    if Membership.objects.filter(organisation=org, user=user).exists():
        raise ValidationError(_("This person is already a member of the organisation."))
    membership = Membership.objects.create(organisation=org, user=user, role=role)
    user.forget_memberships()
    record(
        actor,
        "core.membership.added",
        membership,
        organisation_id=org.pk,
        diff={"user_id": user.pk, "role": role},
    )
    return membership


def _would_leave_no_admin(membership: Membership, new_role: str | None) -> bool:
    # house-rules: an invariant, not a permission (an organisation keeps an admin)
    if membership.role != Role.ORG_ADMIN or new_role == Role.ORG_ADMIN:
        return False
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Role.ORG_ADMIN
    ).exclude(pk=membership.pk)
    return not others.exists()


@transaction.atomic
def change_role(actor: User, membership: Membership, role: str) -> Membership:
    policy.require(actor, "manage", membership)
    if role not in Role.values:
        raise ValidationError({"role": _("%(role)r is not a role.") % {"role": role}})
    if _would_leave_no_admin(membership, role):
        raise ValidationError(_("An organisation must keep at least one admin."))
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    membership.user.forget_memberships()
    record(
        actor,
        "core.membership.role_changed",
        membership,
        organisation_id=membership.organisation_id,
        diff={"user_id": membership.user_id, "role": [old, role]},
    )
    return membership


@transaction.atomic
def remove_member(actor: User, membership: Membership) -> None:
    policy.require(actor, "manage", membership)
    if _would_leave_no_admin(membership, None):
        raise ValidationError(_("An organisation must keep at least one admin."))
    pk, org_id, user_id, role = (
        membership.pk,
        membership.organisation_id,
        membership.user_id,
        membership.role,
    )
    membership.delete()
    record(
        actor,
        "core.membership.removed",
        organisation_id=org_id,
        object_type="core.membership",
        object_id=str(pk),
        diff={"user_id": user_id, "role": role},
    )


@transaction.atomic
def invite_member(actor: User, org: Organisation, *, email: str, role: str) -> Membership:
    """Add the person with ``email`` to ``org``; create their login (without a password: they
    set one through "forgot password") if none exists yet. Admins of ``org`` only."""
    policy.require(actor, "manage_members", org)
    if role not in Role.values:
        raise ValidationError({"role": _("%(role)r is not a role.") % {"role": role}})
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = create_user(actor, email=email, password=None)
    if Membership.objects.filter(organisation=org, user=user).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    return add_member(actor, org, user, role)


@transaction.atomic
def create_token(
    actor: User, *, name: str, scope: str, expires_in_days: int
) -> tuple[ApiToken, str]:
    """Create a personal API token for ``actor``. Returns the token and its secret; the secret
    is not stored and cannot be shown again."""
    policy.require(actor, "create", ApiToken)
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the token a name, so you can recognise it later.")
    elif len(name) > 100:
        errors["name"] = _("Use at most 100 characters.")
    if scope not in ApiToken.Scope.values:
        errors["scope"] = _("Choose read or write.")
    max_days = settings.API_TOKEN_MAX_DAYS
    if not isinstance(expires_in_days, int) or not 1 <= expires_in_days <= max_days:
        errors["expires_in_days"] = _("A token must expire within 1 to %(max)d days.") % {
            "max": max_days
        }
    if errors:
        raise ValidationError(errors)
    secret = tokens.generate_secret()
    token = ApiToken(
        user=actor,
        name=name,
        scope=scope,
        prefix=tokens.display_prefix(secret),
        secret_hash=tokens.hash_secret(secret),
        expires_at=timezone.now() + dt.timedelta(days=expires_in_days),
    )
    _validated(token)
    token.save()
    record(
        actor,
        "core.apitoken.created",
        token,
        diff={
            "name": name,
            "scope": scope,
            "prefix": token.prefix,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, secret


@transaction.atomic
def revoke_token(actor: User, token: ApiToken) -> ApiToken:
    """Revoke ``token`` at once. Revoking a revoked token changes nothing."""
    policy.require(actor, "revoke", token)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, "core.apitoken.revoked", token, diff={"prefix": token.prefix})
    return token
