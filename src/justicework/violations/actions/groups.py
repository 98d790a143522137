"""Actions on victim groups (a group of unnamed victims, with a pseudonymous code)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from justicework.audit.chain import diff_fields, record
from justicework.core.models import Organisation, User
from justicework.violations.actions._common import (
    GROUP_FIELDS,
    apply_changes,
    check_fields,
    require,
    snapshot,
)
from justicework.violations.actions.codes import (
    free_code,
)
from justicework.violations.models import (
    VictimGroup,
)


@transaction.atomic
def create_victim_group(
    actor: User | None,
    organisation: Organisation,
    *,
    description: str,
    number_of_persons: int,
    kind: str = VictimGroup.Kind.GROUP,
) -> VictimGroup:
    require(actor, "create_victim_group", organisation)
    group = VictimGroup(
        organisation=organisation,
        code=free_code(VictimGroup, organisation.pk, "G-"),
        description=(description or "").strip(),
        number_of_persons=number_of_persons,
        kind=kind,
    )
    group.full_clean(exclude=["organisation"])
    group.save()
    record(
        actor,
        "violations.victim_group.created",
        group,
        diff=snapshot(group, ["code", *sorted(GROUP_FIELDS)]),
    )
    return group


@transaction.atomic
def update_victim_group(actor: User | None, group: VictimGroup, **changes: Any) -> VictimGroup:
    require(actor, "change", group)
    check_fields(changes, GROUP_FIELDS)
    before = snapshot(group, changes)
    apply_changes(group, changes, lambda: group.full_clean(exclude=["organisation"]))
    group.save()
    record(
        actor,
        "violations.victim_group.updated",
        group,
        diff=diff_fields(before, snapshot(group, changes)),
    )
    return group
