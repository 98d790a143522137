"""Membership actions: bad input is refused naming what is wrong and changes nothing; every
change writes an audit entry; an organisation always keeps an admin."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.models import AuditEntry
from justicework.core import actions
from justicework.core.models import Membership, User
from justicework.core.roles import Role


def _membership(cast: SimpleNamespace, name: str) -> Membership:
    return Membership.objects.get(user=getattr(cast, name), organisation=cast.acme)


def _last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()  # type: ignore[return-value]


def test_an_unknown_role_is_named_and_nothing_changes(cast: SimpleNamespace) -> None:
    membership = _membership(cast, "viewer")
    with pytest.raises(ValidationError, match="'overlord' is not a role"):
        actions.change_role(cast.admin, membership, "overlord")
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_changing_a_role_is_audited_with_old_and_new(cast: SimpleNamespace) -> None:
    membership = _membership(cast, "viewer")
    actions.change_role(cast.admin, membership, Role.REVIEWER)
    entry = _last_audit()
    assert entry.action == "core.membership.role_changed"
    assert entry.diff["role"] == [Role.VIEWER, Role.REVIEWER]
    assert entry.organisation_id == cast.acme.pk


def test_the_last_admin_can_neither_be_demoted_nor_removed(cast: SimpleNamespace) -> None:
    membership = _membership(cast, "admin")
    with pytest.raises(ValidationError, match="must keep at least one admin"):
        actions.change_role(cast.superuser, membership, Role.VIEWER)
    with pytest.raises(ValidationError, match="must keep at least one admin"):
        actions.remove_member(cast.superuser, membership)
    assert _membership(cast, "admin").role == Role.ORG_ADMIN


def test_an_admin_steps_down_once_another_admin_exists(cast: SimpleNamespace) -> None:
    actions.change_role(cast.admin, _membership(cast, "analyst"), Role.ORG_ADMIN)
    actions.remove_member(cast.admin, _membership(cast, "admin"))
    assert not Membership.objects.filter(user=cast.admin).exists()
    entry = _last_audit()
    assert entry.action == "core.membership.removed"
    assert entry.diff == {"user_id": cast.admin.pk, "role": Role.ORG_ADMIN}


def test_a_non_admin_cannot_remove_a_member(cast: SimpleNamespace) -> None:
    with pytest.raises(PermissionDenied):
        actions.remove_member(cast.analyst, _membership(cast, "viewer"))
    assert Membership.objects.filter(user=cast.viewer).exists()


def test_adding_someone_twice_is_refused(cast: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="already a member"):
        actions.add_member(cast.admin, cast.acme, cast.viewer, Role.REVIEWER)
    with pytest.raises(ValidationError, match="'boss' is not a role"):
        actions.add_member(cast.admin, cast.acme, cast.loner, "boss")
    assert not Membership.objects.filter(user=cast.loner).exists()


def test_inviting_a_new_address_creates_a_login_without_a_password(cast: SimpleNamespace) -> None:
    membership = actions.invite_member(
        cast.admin, cast.acme, email="  New.Person@Example.TEST ", role=Role.DOCUMENTER
    )
    user = User.objects.get(email="new.person@example.test")
    assert membership.user == user
    assert not user.has_usable_password()


def test_inviting_an_existing_member_names_the_email_field(cast: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.invite_member(cast.admin, cast.acme, email="VIEWER@acme.test", role=Role.VIEWER)
    assert "email" in caught.value.message_dict


def test_inviting_with_an_unknown_role_creates_no_login(cast: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="is not a role"):
        actions.invite_member(cast.admin, cast.acme, email="x@example.test", role="king")
    assert not User.objects.filter(email="x@example.test").exists()


def test_a_second_account_with_the_same_email_in_other_case_is_refused(
    cast: SimpleNamespace,
) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_user(None, email="Viewer@ACME.test", password="x" * 20)
    assert "email" in caught.value.message_dict


def test_updating_an_organisation_with_an_unknown_field_changes_nothing(
    cast: SimpleNamespace,
) -> None:
    with pytest.raises(ValidationError, match="Unknown fields: slug"):
        actions.update_organisation(cast.admin, cast.acme, name="Renamed", slug="x")
    cast.acme.refresh_from_db()
    assert cast.acme.name == "Acme Rights Watch"


def test_updating_an_organisation_upper_cases_countries_and_audits_the_diff(
    cast: SimpleNamespace,
) -> None:
    actions.update_organisation(cast.admin, cast.acme, countries=["ge", "am", "ge"])
    cast.acme.refresh_from_db()
    assert cast.acme.countries == ["AM", "GE"]
    assert _last_audit().action == "core.organisation.updated"
