"""The evidence rules: can() and visible() agree for everyone in the cast, and deny what they
should."""

from __future__ import annotations

import pytest

from justicework.core import policy
from justicework.evidence.models import Item, Upload

from .conftest import upload_file

EVERYONE = ["admin", "analyst", "documenter", "coordinator", "officer", "reviewer", "viewer",
            "outsider", "beacon_admin", "loner", "superuser"]  # fmt: skip


@pytest.fixture
def world(cast):
    item = upload_file(cast.documenter, cast.acme, b"acme evidence", filename="a.txt")
    from justicework.evidence import actions

    upload = actions.create_upload(cast.documenter, cast.acme, length=5, metadata={})
    return item, upload


@pytest.mark.parametrize("who", EVERYONE)
def test_can_matches_visible(cast, world, who):
    user = getattr(cast, who)
    item, upload = world
    assert (
        bool(policy.can(user, "view", item))
        == policy.visible(user, Item).filter(pk=item.pk).exists()
    )
    assert bool(policy.can(user, "change", upload)) == (
        policy.visible(user, Upload, "change").filter(pk=upload.pk).exists()
    )


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("analyst", True), ("documenter", True), ("viewer", False),
     ("coordinator", False), ("officer", False), ("reviewer", False), ("outsider", False),
     ("beacon_admin", False), ("loner", False), ("superuser", False)],
)  # fmt: skip
def test_who_opens_an_item(cast, world, who, allowed):
    assert bool(policy.can(getattr(cast, who), "view", world[0])) is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("documenter", True), ("analyst", False), ("viewer", False),
     ("coordinator", False), ("officer", False), ("reviewer", False), ("outsider", False)],
)  # fmt: skip
def test_who_uploads_into_acme(cast, who, allowed):
    assert bool(policy.can(getattr(cast, who), "evidence.upload", cast.acme)) is allowed


def test_only_the_uploader_continues_an_upload(cast, world):
    upload = world[1]
    assert policy.can(cast.documenter, "change", upload)
    decision = policy.can(cast.admin, "change", upload)
    assert not decision and "Only the person who started" in str(decision.reason)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("analyst", False), ("documenter", False), ("viewer", False),
     ("coordinator", False), ("officer", False), ("reviewer", False), ("outsider", False),
     ("beacon_admin", False), ("loner", False), ("superuser", False)],
)  # fmt: skip
def test_only_acme_admins_handle_removals_in_acme(cast, world, who, allowed):
    user = getattr(cast, who)
    for action in ("evidence.remove.request", "evidence.remove.approve"):
        assert bool(policy.can(user, action, cast.acme)) is allowed
    assert bool(policy.can(user, "remove.request", world[0])) is allowed


def test_no_removal_in_an_inactive_organisation(cast, world):
    from django.core.exceptions import PermissionDenied

    from justicework.core.models import Organisation
    from justicework.evidence.actions import removals

    Organisation.objects.filter(pk=cast.acme.pk).update(is_active=False)
    with pytest.raises(PermissionDenied, match="active organisation"):
        removals.request_removal(cast.admin, world[0], reason="r", legal_basis="b")
