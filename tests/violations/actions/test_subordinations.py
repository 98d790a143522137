"""The dated hierarchy: periods a unit was part of another, their checks (each naming the
field), the audit entries and who may write them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.violations import actions
from justicework.violations.actions.subordinations import overlap
from justicework.violations.models import Source, UnitSubordination

from ..conftest import last_audit, make_unit

pytestmark = pytest.mark.django_db

D = dt.date
CHANGE = D(2023, 4, 1)


@pytest.fixture
def forces(cast: SimpleNamespace) -> SimpleNamespace:
    first = make_unit(cast.acme, name="1st Brigade")
    second = make_unit(cast.acme, name="2nd Brigade")
    battalion = make_unit(cast.acme, name="3rd Battalion", parent=first)
    return SimpleNamespace(first=first, second=second, battalion=battalion)


def _refused(field: str, call: object, *args: object, **kwargs: object) -> str:
    before = UnitSubordination.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        call(*args, **kwargs)  # type: ignore[operator]
    assert field in excinfo.value.message_dict, excinfo.value.message_dict
    assert UnitSubordination.objects.count() == before
    return " ".join(excinfo.value.message_dict[field])


def test_a_re_subordination_is_two_periods_audited(cast, forces) -> None:
    old = actions.add_unit_subordination(
        cast.documenter, forces.battalion, forces.first, valid_to=CHANGE - dt.timedelta(days=1)
    )
    entry = last_audit("violations.unit.subordination_added")
    assert entry.diff["parent"] == forces.first.pk and entry.diff["valid_to"] == "2023-03-31"
    new = actions.add_unit_subordination(
        cast.documenter, forces.battalion, forces.second, valid_from=CHANGE, note="Order 12"
    )
    assert new.organisation_id == cast.acme.pk and new.note == "Order 12"
    actions.update_unit_subordination(cast.documenter, old, valid_from=D(2020, 1, 1))
    assert last_audit("violations.unit.subordination_updated").diff["valid_from"] == [
        None,
        "2020-01-01",
    ]
    actions.remove_unit_subordination(cast.documenter, new)
    assert last_audit("violations.unit.subordination_removed").diff["parent"] == forces.second.pk
    assert list(UnitSubordination.objects.values_list("pk", flat=True)) == [old.pk]


def test_an_end_before_the_start_names_valid_to(cast, forces) -> None:
    message = _refused(
        "valid_to",
        actions.add_unit_subordination,
        cast.documenter,
        forces.battalion,
        forces.first,
        valid_from=D(2023, 1, 2),
        valid_to=D(2023, 1, 1),
    )
    assert "before the start" in message


def test_a_unit_is_not_its_own_parent(cast, forces) -> None:
    message = _refused(
        "parent", actions.add_unit_subordination, None, forces.battalion, forces.battalion
    )
    assert "itself" in message


def test_a_cycle_on_a_date_is_refused_and_named(cast, forces) -> None:
    # the battalion is under the 1st brigade until the change; the brigade under the battalion
    # from a date before it would close a loop on that date
    actions.add_unit_subordination(
        None, forces.battalion, forces.first, valid_to=CHANGE - dt.timedelta(days=1)
    )
    message = _refused(
        "parent",
        actions.add_unit_subordination,
        None,
        forces.first,
        forces.battalion,
        valid_from=D(2023, 1, 1),
    )
    assert "2023-01-01" in message and forces.battalion.name in message
    # after the change the same link closes no loop
    actions.add_unit_subordination(None, forces.first, forces.battalion, valid_from=CHANGE)


def test_a_cycle_through_the_current_parent_is_refused(cast, forces) -> None:
    # the battalion has no dated period: its Unit.parent (the 1st brigade) holds on every date
    _refused("parent", actions.add_unit_subordination, None, forces.first, forces.battalion)


def test_overlapping_periods_of_one_unit_are_refused(cast, forces) -> None:
    actions.add_unit_subordination(None, forces.battalion, forces.first, valid_to=CHANGE)
    message = _refused(
        "valid_from",
        actions.add_unit_subordination,
        None,
        forces.battalion,
        forces.second,
        valid_from=CHANGE,
    )
    assert forces.first.name in message and "one unit at a time" in message


def test_an_update_that_breaks_a_rule_changes_nothing(cast, forces) -> None:
    sub = actions.add_unit_subordination(None, forces.battalion, forces.first, valid_from=CHANGE)
    with pytest.raises(ValidationError) as excinfo:
        actions.update_unit_subordination(None, sub, valid_to=D(2020, 1, 1))
    assert "valid_to" in excinfo.value.message_dict
    sub.refresh_from_db()
    assert sub.valid_to is None
    with pytest.raises(ValidationError):
        actions.update_unit_subordination(None, sub, note="x", unknown=1)


def test_another_organisations_parent_or_source_is_refused(cast, forces) -> None:
    theirs = make_unit(cast.beacon, name="Beacon brigade")
    _refused("parent", actions.add_unit_subordination, None, forces.battalion, theirs)
    source = actions.create_source(None, cast.beacon, kind="document", title="Order")
    assert isinstance(source, Source)
    _refused(
        "source",
        actions.add_unit_subordination,
        None,
        forces.battalion,
        forces.first,
        source=source,
    )


@pytest.mark.parametrize("who", ["viewer", "outsider", "loner"])
def test_who_may_not_change_the_unit_may_not_date_its_hierarchy(cast, forces, who) -> None:
    with pytest.raises(PermissionDenied):
        actions.add_unit_subordination(getattr(cast, who), forces.battalion, forces.first)
    sub = actions.add_unit_subordination(None, forces.battalion, forces.first)
    with pytest.raises(PermissionDenied):
        actions.update_unit_subordination(getattr(cast, who), sub, note="x")
    with pytest.raises(PermissionDenied):
        actions.remove_unit_subordination(getattr(cast, who), sub)
    assert UnitSubordination.objects.filter(pk=sub.pk, note="").exists()


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [
        ((None, None), (D(2020, 1, 1), None), (D(2020, 1, 1), None)),
        ((None, D(2020, 1, 1)), (D(2020, 1, 1), None), (D(2020, 1, 1), D(2020, 1, 1))),
        ((None, D(2019, 12, 31)), (D(2020, 1, 1), None), None),
    ],
)
def test_overlap_of_open_periods(a, b, shared) -> None:
    assert overlap(a, b) == shared
    assert overlap(b, a) == shared
