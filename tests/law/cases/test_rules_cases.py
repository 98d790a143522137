"""Who may open, create and change case files (law/rules_cases.py): each allow has its deny."""

from __future__ import annotations

from types import SimpleNamespace

from justicework.core import policy
from justicework.law import actions_cases as actions
from justicework.law.models import CaseFile, Charge, MatrixEntry
from tests.law.cases.conftest import make_case


def test_analyst_and_admin_may_create_case_files(cast: SimpleNamespace) -> None:
    assert policy.can(cast.analyst, "create_case_file", cast.acme)
    assert policy.can(cast.admin, "create_case_file", cast.acme)


def test_documenter_viewer_and_outsider_cannot_create_case_files(cast: SimpleNamespace) -> None:
    for user in (cast.documenter, cast.viewer, cast.outsider, cast.coordinator):
        assert not policy.can(user, "create_case_file", cast.acme), user


def test_other_organisation_actions_still_answered(cast: SimpleNamespace) -> None:
    """The create rule sits under the organisation-actions rule, not instead of it."""
    assert policy.can(cast.documenter, "create_incident", cast.acme)
    assert not policy.can(cast.viewer, "create_incident", cast.acme)
    assert policy.allowed_organisation_ids(cast.analyst, "create_case_file") == [cast.acme.pk]


def test_record_viewers_see_an_unrestricted_case(records: SimpleNamespace, cast) -> None:
    for user in (cast.analyst, cast.admin, cast.documenter, cast.viewer):
        assert policy.can(user, "view", records.case), user
        assert records.case in policy.visible(user, CaseFile)


def test_outsider_cannot_see_another_organisations_case(records, cast) -> None:
    assert not policy.can(cast.outsider, "view", records.case)
    assert records.case not in policy.visible(cast.outsider, CaseFile)
    assert not policy.can(cast.beacon_admin, "change", records.case)
    assert not policy.can(cast.analyst, "view", records.other_case)


def test_documenter_and_viewer_cannot_change_a_case(records, cast) -> None:
    for user in (cast.documenter, cast.viewer, cast.coordinator):
        assert not policy.can(user, "change", records.case), user
        assert not policy.visible(user, CaseFile, "change").exists()


def test_restricted_case_only_for_its_team_and_admins(cast: SimpleNamespace) -> None:
    case = make_case(cast.acme, team=[cast.documenter], restricted=True)
    assert policy.can(cast.documenter, "view", case)
    assert policy.can(cast.admin, "view", case)
    assert policy.can(cast.admin, "change", case)
    for user in (cast.viewer, cast.analyst, cast.outsider):
        assert not policy.can(user, "view", case), user
        assert case not in policy.visible(user, CaseFile)
    # the documenter on the team still cannot change it: the role decides that
    assert not policy.can(cast.documenter, "change", case)


def test_restricted_case_analyst_on_the_team_may_change(cast: SimpleNamespace) -> None:
    case = make_case(cast.acme, team=[cast.analyst], restricted=True)
    assert policy.can(cast.analyst, "change", case)
    assert list(policy.visible(cast.analyst, CaseFile, "change")) == [case]


def test_charges_and_entries_follow_their_case(records, cast) -> None:
    charge = actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(a)-direct")
    entry = actions.add_matrix_entry(
        None,
        charge,
        part="crime",
        element=1,
        link=records.violation,
        bearing="supports",
        strength="strong",
    )
    assert policy.can(cast.viewer, "view", charge)
    assert not policy.can(cast.viewer, "change", entry)
    assert not policy.can(cast.outsider, "view", entry)
    assert list(policy.visible(cast.outsider, MatrixEntry)) == []
    assert list(policy.visible(cast.analyst, Charge, "change")) == [charge]
    actions.update_case_file(None, records.case, restricted=True)
    assert not policy.can(cast.viewer, "view", entry)
    assert policy.can(cast.analyst, "view", entry)


def test_export_needs_export_and_reading(records, cast) -> None:
    assert policy.can(cast.analyst, "export", records.case)
    assert policy.can(cast.documenter, "export", records.case)
    # a programme officer may export data but not read records; a viewer reads but not exports
    for user in (cast.officer, cast.viewer, cast.outsider):
        assert not policy.can(user, "export", records.case), user
    assert not policy.visible(cast.officer, CaseFile, "export").exists()
