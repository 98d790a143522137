"""An item of acme with a collection record, an item of beacon, and a member of both (acme's
admin, a documenter of beacon too: may copy from acme and upload to beacon)."""

from __future__ import annotations

import pytest

from justicework.core import actions as core_actions
from justicework.core.models import User
from justicework.core.roles import Role
from justicework.evidence.models import CustodyEntry, Item

from ..conftest import upload_file

DATA = b"acme testimony, recorded on a phone"


@pytest.fixture
def acme_item(documenter, acme) -> Item:
    return upload_file(
        documenter, acme, DATA, filename="t\u00e9moignage\u202egpj.txt",
        collector="Field team 2", collected_at="2024-03-01T10:00:00+02:00",
        tool="Phone camera", method="Recorded in person",
    )  # fmt: skip


@pytest.fixture
def beacon_item(outsider, beacon) -> Item:
    return upload_file(outsider, beacon, b"beacon secret bytes", filename="beaconfile.txt")


@pytest.fixture
def bridge(admin, beacon) -> User:
    """acme's admin, also a documenter of beacon (a partner organisation of the coalition)."""
    core_actions.add_member(None, beacon, admin, Role.DOCUMENTER)
    admin.forget_memberships()
    return admin


def events(item: Item) -> list[str]:
    return list(
        CustodyEntry.objects.filter(item=item).order_by("seq").values_list("event", flat=True)
    )
