"""Changing a matrix entry's assessment (``law.actions_cases.update_matrix_entry``): needs
``change`` on the case, refuses a bad value naming its field and changing nothing, audited."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.models import AuditEntry
from justicework.law import actions_cases as actions
from justicework.law.models import MatrixEntry


@pytest.fixture
def entry(records: SimpleNamespace) -> MatrixEntry:
    charge = actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")
    return actions.add_matrix_entry(
        None, charge, part="crime", element=1, link=records.violation,
        bearing="supports", strength="weak", note="One witness",
    )  # fmt: skip


def _as_stored(entry: MatrixEntry) -> tuple[str, str, str]:
    stored = MatrixEntry.objects.get(pk=entry.pk)
    return stored.bearing, stored.strength, stored.note


def test_analyst_changes_an_entry_audited_without_the_notes_text(entry, cast) -> None:
    actions.update_matrix_entry(
        cast.analyst, entry, strength="strong", bearing="contradicts", note="Three witnesses"
    )
    assert _as_stored(entry) == ("contradicts", "strong", "Three witnesses")
    audit = AuditEntry.objects.get(action="law.matrix.entry_updated")
    assert audit.object_id == str(entry.pk)
    assert audit.diff["strength"] == ["weak", "strong"]
    assert audit.diff["bearing"] == ["supports", "contradicts"]
    assert audit.diff["note"] == "changed"  # the text stays out of the log
    assert "Three witnesses" not in str(audit.diff)


def test_nothing_to_change_writes_no_audit_entry(entry, cast) -> None:
    actions.update_matrix_entry(cast.analyst, entry, strength="weak", note="One witness")
    assert not AuditEntry.objects.filter(action="law.matrix.entry_updated").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"strength": "overwhelming"}, "strength"),
        ({"bearing": "maybe", "strength": "strong"}, "bearing"),
        ({"note": "x" * (actions.NOTE_MAX + 1), "strength": "strong"}, "note"),
        ({"note": None}, "note"),
        ({"element": 2}, "element"),
        ({"violation": None}, "violation"),
    ],
)
def test_bad_value_is_refused_by_name_and_nothing_changes(entry, cast, changes, field) -> None:
    with pytest.raises(ValidationError) as error:
        actions.update_matrix_entry(cast.analyst, entry, **changes)
    assert field in error.value.message_dict
    assert _as_stored(entry) == ("supports", "weak", "One witness")
    assert (entry.strength, entry.element) == ("weak", 1)
    assert not AuditEntry.objects.filter(action="law.matrix.entry_updated").exists()


@pytest.mark.parametrize("who", ["documenter", "viewer", "outsider", "beacon_admin"])
def test_who_may_not_change_the_case_cannot_change_its_entries(entry, cast, who) -> None:
    with pytest.raises(PermissionDenied):
        actions.update_matrix_entry(getattr(cast, who), entry, strength="strong")
    assert _as_stored(entry) == ("supports", "weak", "One witness")


def test_anonymous_cannot_change_an_entry(entry) -> None:
    with pytest.raises(PermissionDenied):
        actions.update_matrix_entry(AnonymousUser(), entry, strength="strong")  # type: ignore[arg-type]  # the refusal is the point
    assert _as_stored(entry)[1] == "weak"


def test_restricted_case_only_its_team_and_admins_change_entries(entry, records, cast) -> None:
    actions.update_case_file(None, records.case, restricted=True)
    actions.set_team(None, records.case, [cast.admin])
    with pytest.raises(PermissionDenied):
        actions.update_matrix_entry(cast.analyst, entry, strength="strong")
    actions.update_matrix_entry(cast.admin, entry, strength="moderate")
    assert _as_stored(entry)[1] == "moderate"
