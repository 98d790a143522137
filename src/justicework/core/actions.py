"""Every write to organisations, users and memberships (STYLE 1).

Each action takes the acting user, checks the policy, validates, writes, and appends the audit
entry in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core import policy
from justicework.core.models import Membership, Organisation, User
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
