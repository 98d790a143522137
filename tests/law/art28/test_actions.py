"""Writing per-element art. 28 records: what is accepted, what is refused (the error names the
field, nothing is written), the audit entries and who may write."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.models import AuditEntry
from justicework.law import actions_cases
from justicework.law import actions_command as actions
from justicework.law.models import CommandElementRecord
from tests.law.cases.conftest import make_case
from tests.violations.conftest import make_incident, make_person, make_unit

from .conftest import add

pytestmark = pytest.mark.django_db
D = dt.date


def _refused(field: str, art28: SimpleNamespace, actor=None, **fields) -> str:
    with pytest.raises(ValidationError) as excinfo:
        add(art28, actor, **fields)
    assert field in excinfo.value.message_dict, excinfo.value.message_dict
    assert not CommandElementRecord.objects.exists()
    return " ".join(excinfo.value.message_dict[field])


def test_an_analyst_records_each_kind_of_link_for_a_person_and_a_unit(cast, art28) -> None:
    first = add(art28, cast.analyst, concerns_from=D(2023, 5, 1), concerns_to=D(2023, 5, 31))
    entry = AuditEntry.objects.filter(action="law.command_record.added").latest("seq")
    assert entry.diff["suspect_person"] == art28.commander.pk and entry.diff["element"] == 4
    assert entry.organisation_id == cast.acme.pk
    add(art28, cast.analyst, suspect=art28.unit, mode_id="28(b)", element=1, link=art28.item)
    add(art28, cast.analyst, element=3, link=art28.violation, bearing="contradicts")
    add(art28, cast.analyst, element=6, link=art28.source, strength="weak", note=" Log ")
    assert CommandElementRecord.objects.count() == 4
    assert first.link_field == "incident" and first.concerns_to == D(2023, 5, 31)
    # the linked records join the case's records, as a matrix entry's do
    assert art28.case.sources.filter(pk=art28.source.pk).exists()
    assert CommandElementRecord.objects.get(element=6).note == "Log"


@pytest.mark.parametrize(
    ("field", "fields", "words"),
    [
        ("mode_id", {"mode_id": "25(3)(a)-direct"}, "28(a)"),
        ("element", {"element": 7}, "No element 7"),
        ("element", {"mode_id": "28(b)", "element": 6}, "No element 6"),
        ("bearing", {"bearing": "maybe"}, "supports"),
        ("strength", {"strength": "huge"}, "strong"),
        ("concerns_to", {"concerns_from": D(2023, 5, 2), "concerns_to": D(2023, 5, 1)}, "ends"),
        ("note", {"note": "x" * 5001}, "5000"),
    ],
)
def test_bad_input_names_the_field(art28, field, fields, words) -> None:
    assert words in _refused(field, art28, **fields)


def test_a_mode_the_case_does_not_charge_is_refused(cast, art28) -> None:
    art28.case.charges.filter(mode_id="28(b)").delete()
    assert "no charge under art. 28(b)" in _refused("mode_id", art28, mode_id="28(b)", element=1)


def test_the_suspect_must_be_one_of_the_cases(cast, art28) -> None:
    stranger = make_person(cast.acme)
    assert "suspects" in _refused("suspect", art28, suspect=stranger)
    assert "suspects" in _refused("suspect", art28, suspect=make_unit(cast.acme, name="Other"))
    assert "person or a unit" in _refused("suspect", art28, suspect=art28.incident)


def test_the_link_must_be_of_the_organisation_and_visible(cast, art28) -> None:
    assert "another organisation" in _refused("link", art28, link=art28.other_incident)
    assert "another organisation" in _refused("link", art28, link=art28.other_violation)
    assert "You cannot see" in _refused("link", art28, cast.analyst, link=art28.secret)
    assert "Link a violation" in _refused("link", art28, link=art28.commander)


def test_update_and_remove_are_audited_and_checked(cast, art28) -> None:
    rec = add(art28)
    actions.update_command_record(cast.analyst, rec, strength="strong", concerns_from=D(2023, 1, 1))
    entry = AuditEntry.objects.filter(action="law.command_record.updated").latest("seq")
    assert entry.diff["strength"] == ["moderate", "strong"]
    with pytest.raises(ValidationError) as excinfo:
        actions.update_command_record(cast.analyst, rec, concerns_to=D(2022, 1, 1))
    assert "concerns_to" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        actions.update_command_record(cast.analyst, rec, element=3)
    assert "element" in excinfo.value.message_dict
    rec.refresh_from_db()
    assert (rec.strength, rec.concerns_to, rec.element) == ("strong", None, 4)
    actions.remove_command_record(cast.analyst, rec)
    assert AuditEntry.objects.filter(action="law.command_record.removed").exists()
    assert not CommandElementRecord.objects.exists()


@pytest.mark.parametrize("who", ["documenter", "viewer", "outsider", "beacon_admin", "loner"])
def test_who_may_not_change_the_case_may_not_record(cast, art28, who) -> None:
    with pytest.raises(PermissionDenied):
        add(art28, getattr(cast, who))
    rec = add(art28)
    with pytest.raises(PermissionDenied):
        actions.update_command_record(getattr(cast, who), rec, note="x")
    with pytest.raises(PermissionDenied):
        actions.remove_command_record(getattr(cast, who), rec)
    assert CommandElementRecord.objects.filter(note="").count() == 1


def test_a_restricted_case_is_changed_by_its_team_only(cast, art28) -> None:
    from justicework.core import actions as core_actions
    from justicework.core.roles import Role
    from tests.conftest import make_user

    other_analyst = make_user("analyst2@acme.test")
    core_actions.add_member(None, cast.acme, other_analyst, Role.LEGAL_ANALYST)
    actions_cases.update_case_file(None, art28.case, restricted=True)
    with pytest.raises(PermissionDenied):
        add(art28, other_analyst)
    add(art28, cast.analyst)  # on the team
    add(art28, cast.admin, element=3)  # the organisation's admin


def test_another_cases_suspects_do_not_count(cast, art28) -> None:
    other = make_case(cast.acme, title="Other case")
    incident = make_incident(cast.acme)
    actions_cases.add_charge(None, other, crime_id="8(2)(e)(i)", mode_id="28(a)")
    with pytest.raises(ValidationError) as excinfo:
        actions.add_command_record(
            None, other, suspect=art28.commander, mode_id="28(a)", element=3,
            link=incident, bearing="supports", strength="weak",
        )  # fmt: skip
    assert "suspect" in excinfo.value.message_dict
