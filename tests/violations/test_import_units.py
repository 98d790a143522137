"""Importing perpetrator units by the source's own id: created once, found again, attributed."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from justicework import search
from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.dataio import engine
from justicework.dataio import schema as schemas
from justicework.dataio.mapping import MappingSpec
from justicework.search.registry import registration_for
from justicework.violations.indexing import reindex_incidents
from justicework.violations.models import Incident, Perpetration, Unit, Violation

HEADER = ["Row", "Case", "Act", "When", "Victim", "AgencyId", "Agency", "Kind", "Role"]
MAPPING = {
    "fields": {
        "incident_ref": "Row",
        "incident_title": "Case",
        "country": {"value": "UA"},
        "type": "Act",
        "date": "When",
        "victim_name": "Victim",
        "perpetrator_unit_ref": "AgencyId",
        "perpetrator_unit_name": "Agency",
        "perpetrator_unit_kind": "Kind",
        "perpetrator_involvement": "Role",
    },
    "key": ["Row"],
    "namespace": "event-list",
}


def csv_file(tmp_path, rows, name="units.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def row(n, **overrides):
    values = {
        "Row": f"E{n}",
        "Case": f"Killing {n}",
        "Act": "extrajudicial_execution",
        "When": "2021-06-01",
        "Victim": f"Victim {n}",
        "AgencyId": "A-17",
        "Agency": "Third Police Precinct",
        "Kind": "police",
        "Role": "",
    }
    values.update(overrides)
    return [values[h] for h in HEADER]


def commit(cast, path, user=None, organisation=None, **extra):
    spec = MappingSpec.from_dict({**MAPPING, **extra}, schemas.get("violations"))
    return engine.commit(
        schemas.get("violations"),
        user or cast.documenter,
        organisation or cast.acme,
        path,
        "csv",
        spec,
    )


def test_one_incident_per_row_with_a_unit_by_its_own_id(cast, tmp_path):
    rows = [row(1), row(2), row(3, AgencyId="A-9", Agency="Border Post 9", Kind="border_guard")]
    outcome = commit(cast, csv_file(tmp_path, rows))
    assert outcome.committed and outcome.created == 3, outcome.sample
    assert Incident.objects.filter(organisation=cast.acme).count() == 3
    assert sorted(Unit.objects.values_list("name", "kind")) == [
        ("Border Post 9", "border_guard"),
        ("Third Police Precinct", "police"),
    ]
    precinct = Unit.objects.get(name="Third Police Precinct")
    attributed = Perpetration.objects.filter(unit=precinct)
    assert attributed.count() == 2
    assert set(attributed.values_list("involvement", flat=True)) == {"alleged"}
    assert AuditEntry.objects.filter(action="violations.unit.created").count() == 2
    assert AuditEntry.objects.filter(action="violations.perpetration.created").count() == 3
    assert verify_chain().ok
    # The incidents' search text names their unit (reindexed once the unit is attributed).
    found = search.filter_queryset(Incident.objects.all(), "precinct")
    assert sorted(found.values_list("title", flat=True)) == ["Killing 1", "Killing 2"]


def test_a_later_import_finds_the_unit_again_by_its_reference(cast, tmp_path):
    commit(cast, csv_file(tmp_path, [row(1)], "a.csv"))
    # A later release: the unit's name is spelt differently, the reference is the same.
    outcome = commit(cast, csv_file(tmp_path, [row(2, Agency="3rd Precinct", Role="direct")]))
    assert outcome.committed and outcome.created == 1
    assert Unit.objects.count() == 1
    latest = Violation.objects.get(incident__title="Killing 2").perpetrations.get()
    assert latest.unit.name == "Third Police Precinct" and latest.involvement == "direct"


def test_the_same_reference_in_another_organisation_is_another_unit(cast, tmp_path):
    commit(cast, csv_file(tmp_path, [row(1)], "a.csv"))
    outcome = commit(
        cast, csv_file(tmp_path, [row(1)], "b.csv"), user=cast.outsider, organisation=cast.beacon
    )
    assert outcome.committed
    assert sorted(Unit.objects.values_list("organisation__slug", flat=True)) == sorted(
        [cast.acme.slug, cast.beacon.slug]
    )


@pytest.mark.parametrize(
    "overrides, column, reason",
    [
        ({"Agency": ""}, "perpetrator_unit_name", "is new here"),
        ({"Kind": ""}, "perpetrator_unit_kind", "is new here"),
        ({"AgencyId": ""}, "perpetrator_unit_name", "reference"),
        ({"Kind": "gang-ish"}, "Kind", "not a known type of unit"),
        ({"Role": "watched"}, "Role", "not a known degree of involvement"),
    ],
)
def test_bad_unit_columns_name_the_column_and_write_nothing(
    cast, tmp_path, overrides, column, reason
):
    path = csv_file(tmp_path, [row(1), row(2, **overrides)])
    found = []
    spec = MappingSpec.from_dict(MAPPING, schemas.get("violations"))
    engine.validate(
        schemas.get("violations"), cast.acme, path, "csv", spec, on_problem=found.append
    )
    assert (3, column) in [(p.row, p.column) for p in found], found
    assert any(reason in p.reason for p in found if p.column == column)
    before = (Unit.objects.count(), Violation.objects.count(), AuditEntry.objects.count())
    outcome = commit(cast, path)
    assert not outcome.committed
    assert (Unit.objects.count(), Violation.objects.count(), AuditEntry.objects.count()) == before


def test_a_viewer_cannot_create_units_through_an_import(cast, tmp_path):
    with pytest.raises(PermissionDenied):
        commit(cast, csv_file(tmp_path, [row(1)]), user=cast.viewer)
    assert Unit.objects.count() == 0


def _documents(incidents):
    registration = registration_for(Incident)
    column = "text" if connection.vendor == "sqlite" else "vector::text"
    found = {}
    with connection.cursor() as cursor:
        for incident in incidents:
            rowid = registration.rowid(incident.pk)
            cursor.execute(f"SELECT {column} FROM search_document WHERE rowid = %s", [rowid])  # noqa: S608  # constant column
            found[incident.pk] = cursor.fetchone()[0]
    return found


def test_new_incidents_are_indexed_as_a_reindex_would_index_them(cast, tmp_path):
    # The importer indexes the incidents it creates from memory; a reindex reads them back.
    rows = [
        row(1),
        row(2, Act="torture"),
        row(3, AgencyId="A-9", Agency="Border Post 9", Kind="border_guard"),
    ]
    rows.append(row(4, AgencyId="", Agency="", Kind=""))
    assert commit(cast, csv_file(tmp_path, rows)).committed
    # E1 again (an incident of the first import gets another act) and a new one.
    later = [row(1, Act="torture"), row(5)]
    outcome = commit(cast, csv_file(tmp_path, later, name="later.csv"), key=["Row", "Act"])
    assert outcome.committed and outcome.created == 2, outcome.sample
    incidents = list(Incident.objects.order_by("pk"))
    assert len(incidents) == 5
    imported = _documents(incidents)
    reindex_incidents([incident.pk for incident in incidents])
    assert _documents(incidents) == imported
    assert all(imported.values())
    assert Violation.objects.filter(incident=incidents[0]).count() == 2
