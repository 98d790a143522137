"""Every exported file re-imports with the shipped mapping ``justicework-export``: CSV, XLSX
and JSON, into another organisation field by field, and into the same organisation without
recording anything twice."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from justicework.dataio.models import Mapping
from justicework.violations import actions
from justicework.violations.models import Incident, Perpetration, Person, Unit, Violation

from .conftest import make_incident, make_unit, make_violation


@pytest.fixture
def documented(cast):
    """Records with every documentable field in acme, the victim's identity open to the
    documenter (need-to-know grant)."""
    incident = make_incident(
        cast.acme,
        title="Killing at the Izium checkpoint",
        description="Witnesses saw the police stop the car.",
        context="iac",
        external_ref="CASE-7",
        start_date=dt.date(2024, 3, 2),
        locations=[{"place_name": "Izium", "subdivision": "UA-63", "latitude": 49.2128,
                    "longitude": 37.2569, "precision": "exact"}],
    )  # fmt: skip
    place = incident.locations.get()
    victim = actions.create_person(
        None, cast.acme, status=Person.Status.DECEASED, full_name="Olena Kovalenko",
        sex="female", gender_identity="woman", ethnicity="Crimean Tatar",
        date_of_birth=dt.date(1990, 2, 3),
    )  # fmt: skip
    killing = make_violation(
        incident, type="killing", method="beating", victim=victim, location=place,
        description="Shot at close range", consequences="Family displaced", victim_age=34,
        victim_outcome="deceased", start_date=dt.date(2024, 3, 2), date_precision="day",
        date_approximate=True,
    )  # fmt: skip
    unit = make_unit(cast.acme, name="Third Police Precinct", kind="police")
    actions.add_perpetration(None, killing, involvement="direct", unit=unit)
    make_violation(
        incident, type="killing_in_attack", location=place, description="A second car hit",
        start_date=dt.date(2024, 1, 1), date_precision="year",
    )  # fmt: skip
    actions.grant_need_to_know(None, cast.documenter, victim, reason="Case work")
    return incident


def export(cast, tmp_path, fmt):
    path = tmp_path / f"export.{fmt}"
    call_command("export", "violations", "--organisation", cast.acme.slug, "--as",
                 cast.documenter.email, "--format", fmt, "--output", str(path))  # fmt: skip
    return path


def import_file(path, organisation, user):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "violations", str(path), "--organisation", organisation.slug,
                     "--as", user.email, "--mapping", "justicework-export", stdout=out,
                     stderr=err)  # fmt: skip
    except SystemExit as exc:
        raise AssertionError(out.getvalue() + err.getvalue()) from exc
    return out.getvalue()


def described(organisation):
    """What an organisation holds, field by field, without ids (comparable across copies)."""
    records = []
    for violation in Violation.objects.filter(organisation=organisation).order_by("description"):
        incident = violation.incident
        place = violation.location
        roles = list(violation.person_roles.all())
        victim = Person.objects.get(pk=roles[0].person_id) if roles else None
        units = [
            (p.unit.name, p.unit.kind, p.involvement)
            for p in Perpetration.objects.filter(violation=violation).select_related("unit")
        ]
        records.append({
            "incident": (incident.title, incident.description, incident.context,
                         incident.external_ref, incident.country, incident.start_date),
            "place": (place.country, place.subdivision, place.place_name, place.latitude,
                      place.longitude, place.precision),
            "act": (violation.type, violation.method, violation.description,
                    violation.consequences, violation.victim_age, violation.victim_outcome,
                    violation.start_date, violation.date_precision, violation.date_approximate),
            "victim": None if victim is None else (
                victim.status, victim.full_name, victim.sex, victim.gender_identity,
                victim.ethnicity, victim.date_of_birth),
            "units": units,
        })  # fmt: skip
    return records


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_reimports_into_another_organisation_field_by_field(
    cast, tmp_path, documented, fmt
):
    path = export(cast, tmp_path, fmt)
    out = import_file(path, cast.beacon, cast.beacon_admin)
    assert "2 created" in out, out
    expected = described(cast.acme)
    assert expected[1]["act"][0] == "killing" and expected[1]["victim"][0] == "deceased"
    assert described(cast.beacon) == expected
    copied = Incident.objects.get(organisation=cast.beacon)
    assert Incident.objects.filter(organisation=cast.beacon).count() == 1
    assert Unit.objects.filter(organisation=cast.beacon).count() == 1
    assert copied.external_ref == "CASE-7"
    # The shipped mapping is now one of beacon's saved mappings, named as it ships.
    assert Mapping.objects.filter(organisation=cast.beacon, name="justicework-export").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_imported_into_its_own_organisation_records_nothing_twice(
    cast, tmp_path, documented, fmt
):
    before = described(cast.acme)
    counts = (Incident.objects.count(), Violation.objects.count(), Person.objects.count(),
              Unit.objects.count(), Perpetration.objects.count())  # fmt: skip
    path = export(cast, tmp_path, fmt)
    first = import_file(path, cast.acme, cast.documenter)
    again = import_file(path, cast.acme, cast.documenter)
    after = (Incident.objects.count(), Violation.objects.count(), Person.objects.count(),
             Unit.objects.count(), Perpetration.objects.count())  # fmt: skip
    assert after == counts, (first, again)
    assert described(cast.acme) == before
    assert "0 created, 2 already imported" in again, again


def test_a_row_whose_violation_was_deleted_is_added_back_to_its_incident(
    cast, tmp_path, documented
):
    path = export(cast, tmp_path, "csv")
    gone = Violation.objects.get(description="A second car hit")
    actions.remove_violation(None, gone)
    import_file(path, cast.acme, cast.documenter)
    assert Incident.objects.filter(organisation=cast.acme).count() == 1
    back = Violation.objects.get(description="A second car hit")
    assert back.incident_id == documented.pk


def test_a_redacted_identity_is_not_imported_as_a_name(cast, tmp_path, documented):
    path = tmp_path / "export.csv"
    call_command("export", "violations", "--organisation", cast.acme.slug, "--as",
                 cast.analyst.email, "--format", "csv", "--output", str(path))  # fmt: skip
    assert "[redacted]" in path.read_text(encoding="utf-8-sig")
    import_file(path, cast.beacon, cast.beacon_admin)
    victim = Person.objects.get(organisation=cast.beacon)
    assert victim.status == "deceased"  # not an identity field: exported to the analyst too
    assert (victim.full_name, victim.sex, victim.ethnicity) == (None, None, None)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_a_victim_on_several_exported_rows_reimports_as_one_person(cast, tmp_path, documented, fmt):
    victim = Person.objects.get(organisation=cast.acme)
    make_violation(
        documented, type="torture", victim=victim, description="Beaten before the shooting",
        start_date=dt.date(2024, 3, 1), date_precision="day",
    )  # fmt: skip
    path = export(cast, tmp_path, fmt)
    out = import_file(path, cast.beacon, cast.beacon_admin)
    assert "3 created" in out, out
    copies = Person.objects.filter(organisation=cast.beacon)
    assert copies.count() == 1
    copy = copies.get()
    assert copy.roles.filter(role="victim").count() == 2
    assert (copy.full_name, copy.status) == ("Olena Kovalenko", "deceased")
    # A later export naming the victim again (a new act) finds the same person in beacon.
    make_violation(
        documented, type="killing", victim=victim, description="A later act",
        start_date=dt.date(2024, 3, 3), date_precision="day",
    )  # fmt: skip
    import_file(export(cast, tmp_path, fmt), cast.beacon, cast.beacon_admin)
    assert Person.objects.filter(organisation=cast.beacon).count() == 1
    assert copy.roles.filter(role="victim").count() == 3
