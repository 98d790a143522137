"""Writing case files, charges and matrix entries: checked, refused with a named field, audited."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.models import AuditEntry
from justicework.law import actions_cases as actions
from justicework.law.models import CaseFile, Charge, MatrixEntry


def test_analyst_creates_a_case_audited(cast: SimpleNamespace) -> None:
    case = actions.create_case_file(
        cast.analyst, cast.acme, title=" A case ", country="ua", team=[cast.analyst]
    )
    assert (case.title, case.country) == ("A case", "UA")
    assert list(case.team.all()) == [cast.analyst]
    entry = AuditEntry.objects.get(action="law.case.created")
    assert entry.object_id == str(case.pk)


def test_documenter_cannot_create_a_case(cast: SimpleNamespace) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_case_file(cast.documenter, cast.acme, title="x", country="UA")
    assert not CaseFile.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "", "country": "UA"}, "title"),
        ({"title": "x", "country": "ZZ"}, "country"),
        (
            {"title": "x", "country": "UA", "period_from": "2024-01-02", "period_to": "2023-01-01"},
            "period_to",
        ),
    ],
)
def test_bad_case_fields_are_named(cast: SimpleNamespace, fields: dict, field: str) -> None:
    import datetime as dt

    for key in ("period_from", "period_to"):
        if key in fields:
            fields[key] = dt.date.fromisoformat(fields[key])
    with pytest.raises(ValidationError) as error:
        actions.create_case_file(cast.analyst, cast.acme, **fields)
    assert field in error.value.message_dict
    assert not CaseFile.objects.exists()


def test_team_only_of_members_who_see_records(cast: SimpleNamespace) -> None:
    for user in (cast.outsider, cast.officer):
        with pytest.raises(ValidationError) as error:
            actions.create_case_file(cast.analyst, cast.acme, title="x", country="UA", team=[user])
        assert "team" in error.value.message_dict
    assert not CaseFile.objects.exists()


def test_charge_ids_must_exist_in_the_catalogue(records, cast) -> None:
    with pytest.raises(ValidationError) as error:
        actions.add_charge(cast.analyst, records.case, crime_id="7(1)(z)", mode_id="99")
    assert set(error.value.message_dict) == {"crime_id", "mode_id"}
    charge = actions.add_charge(
        cast.analyst, records.case, crime_id="8(2)(a)(i)", mode_id="28(a)", note="n"
    )
    assert AuditEntry.objects.filter(action="law.charge.added").count() == 1
    with pytest.raises(ValidationError):
        actions.add_charge(cast.analyst, records.case, crime_id="8(2)(a)(i)", mode_id="28(a)")
    assert Charge.objects.count() == 1
    assert charge.note == "n"


def test_documenter_cannot_add_a_charge(records, cast) -> None:
    with pytest.raises(PermissionDenied):
        actions.add_charge(cast.documenter, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")


def test_entry_links_the_record_to_the_case(records, cast) -> None:
    charge = actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")
    entry = actions.add_matrix_entry(
        cast.analyst,
        charge,
        part="crime",
        element=1,
        link=records.item,
        bearing="supports",
        strength="moderate",
        note="photo",
    )
    assert entry.item == records.item
    assert list(records.case.items.all()) == [records.item]
    audit = AuditEntry.objects.get(action="law.matrix.entry_added")
    assert audit.organisation_id == cast.acme.pk


def test_entry_refuses_bad_element_and_foreign_records(records, cast) -> None:
    charge = actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")
    base = {"part": "crime", "bearing": "supports", "strength": "weak"}
    with pytest.raises(ValidationError) as error:
        actions.add_matrix_entry(cast.analyst, charge, element=99, link=records.violation, **base)
    assert "element" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.add_matrix_entry(
            cast.analyst, charge, element=1, link=records.other_violation, **base
        )
    assert "link" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.add_matrix_entry(
            cast.analyst, charge, element=1, link=records.violation, **(base | {"strength": "x"})
        )
    assert "strength" in error.value.message_dict
    assert not MatrixEntry.objects.exists()


def test_link_refuses_another_organisations_records(records, cast) -> None:
    with pytest.raises(ValidationError):
        actions.link_records(cast.analyst, records.case, "incidents", [records.other_incident])
    actions.link_records(cast.analyst, records.case, "suspect_units", [records.unit])
    assert list(records.case.suspect_units.all()) == [records.unit]
    actions.unlink_record(cast.analyst, records.case, "suspect_units", records.unit)
    assert not records.case.suspect_units.exists()
    assert AuditEntry.objects.filter(action__startswith="law.case.").count() >= 3


def test_remove_charge_needs_its_entries_gone(records, cast) -> None:
    charge = actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")
    entry = actions.add_matrix_entry(
        None,
        charge,
        part="mode",
        element=1,
        link=records.incident,
        bearing="contradicts",
        strength="weak",
    )
    with pytest.raises(ValidationError):
        actions.remove_charge(cast.analyst, charge)
    with pytest.raises(PermissionDenied):
        actions.remove_matrix_entry(cast.viewer, entry)
    actions.remove_matrix_entry(cast.analyst, entry)
    actions.remove_charge(cast.analyst, charge)
    assert not Charge.objects.exists()
