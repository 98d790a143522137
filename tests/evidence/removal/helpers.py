"""A second admin of acme (removal needs two) and an item removed by the whole procedure."""

from __future__ import annotations

from justicework.core import actions as core_actions
from justicework.core.models import Organisation, User
from justicework.core.roles import Role
from justicework.evidence.actions import removals
from justicework.evidence.models import Item

from ...conftest import make_user
from ..conftest import upload_file


def second_admin(organisation: Organisation) -> User:
    user = User.objects.filter(email="admin2@acme.test").first()
    if user is None:
        user = make_user("admin2@acme.test")
        core_actions.add_member(None, organisation, user, Role.ORG_ADMIN)
        user.forget_memberships()
    return user


def removed_item(admin: User, organisation: Organisation, data: bytes = b"to be removed") -> Item:
    item = upload_file(admin, organisation, data, filename="removed.txt")
    request = removals.request_removal(
        admin, item, reason="Court order", legal_basis="Order 12/2026 of the district court"
    )
    removals.approve_removal(second_admin(organisation), request)
    item.refresh_from_db()
    return item


__all__ = ["removed_item", "second_admin"]
