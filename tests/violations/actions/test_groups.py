"""Victim groups: pseudonymous codes, described without naming members, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.violations import actions
from justicework.violations.models import VictimGroup

from ..conftest import last_audit

pytestmark = pytest.mark.django_db


def test_documenter_creates_a_group_with_a_code_and_an_audit_entry(cast):
    group = actions.create_victim_group(
        cast.documenter, cast.acme, description="  Family of five ", number_of_persons=5
    )
    assert group.code.startswith("G-") and group.description == "Family of five"
    entry = last_audit("violations.victim_group.created")
    assert entry.actor_id == cast.documenter.pk
    assert entry.diff == {
        "code": group.code,
        "description": "Family of five",
        "kind": "group",
        "number_of_persons": 5,
    }


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_a_viewer_or_an_outsider_cannot_create_a_group(cast, who):
    with pytest.raises(PermissionDenied):
        actions.create_victim_group(
            getattr(cast, who), cast.acme, description="Village", number_of_persons=40
        )
    assert not VictimGroup.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"number_of_persons": 0}, "number_of_persons"),
        ({"kind": "tribe"}, "kind"),
        ({"description": "x" * 301}, "description"),
    ],
)
def test_bad_group_input_names_the_field(cast, fields, field):
    data = {"description": "Village", "number_of_persons": 40, **fields}
    with pytest.raises(ValidationError) as caught:
        actions.create_victim_group(cast.documenter, cast.acme, **data)
    assert field in caught.value.message_dict


def test_a_refused_update_leaves_the_group_as_it_was(cast):
    group = actions.create_victim_group(None, cast.acme, description="Village", number_of_persons=4)
    with pytest.raises(ValidationError):
        actions.update_victim_group(cast.documenter, group, number_of_persons=0)
    assert group.number_of_persons == 4
    actions.update_victim_group(cast.documenter, group, number_of_persons=6)
    assert last_audit("violations.victim_group.updated").diff == {"number_of_persons": [4, 6]}
    with pytest.raises(ValidationError) as caught:
        actions.update_victim_group(cast.documenter, group, code="G-MINE1")
    assert "code" in caught.value.message_dict
