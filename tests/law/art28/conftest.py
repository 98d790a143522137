"""A case file of acme charging 8(2)(e)(i) under art. 28(a) and 28(b), with a commander
(a person) and a unit as suspects and the facts of ``tests.law.cases``' records; plus a
restricted incident only its creator and admins see."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from justicework.law import actions_cases
from justicework.violations import actions as violation_actions
from tests.law.cases.conftest import login, records, vault  # noqa: F401  (fixtures)
from tests.violations.conftest import make_incident, make_person


@pytest.fixture
def art28(cast: SimpleNamespace, records: SimpleNamespace) -> SimpleNamespace:  # noqa: F811
    case = records.case
    commander = make_person(cast.acme)
    source = violation_actions.create_source(
        None, cast.acme, kind="document", title="Radio log", incidents=[records.incident]
    )
    secret = make_incident(cast.acme, title="Secret raid", sensitivity="restricted")
    actions_cases.link_records(None, case, "suspect_persons", [commander])
    actions_cases.link_records(None, case, "suspect_units", [records.unit])
    actions_cases.add_charge(None, case, crime_id="8(2)(e)(i)", mode_id="28(a)")
    actions_cases.add_charge(None, case, crime_id="8(2)(e)(i)", mode_id="28(b)")
    return SimpleNamespace(**vars(records), commander=commander, source=source, secret=secret)


def add(art28: SimpleNamespace, actor: Any = None, **fields: Any) -> Any:
    """A record through the action (defaults: the commander, 28(a) knowledge, the incident)."""
    from justicework.law import actions_command

    fields.setdefault("suspect", art28.commander)
    fields.setdefault("mode_id", "28(a)")
    fields.setdefault("element", 4)
    fields.setdefault("link", art28.incident)
    fields.setdefault("bearing", "supports")
    fields.setdefault("strength", "moderate")
    return actions_command.add_command_record(actor, art28.case, **fields)
