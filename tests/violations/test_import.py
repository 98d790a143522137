"""Importing violations: mapping to violations.actions, encryption, audit, no duplicates."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied

from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.dataio import actions as dataio_actions
from justicework.dataio import engine
from justicework.dataio import schema as schemas
from justicework.dataio.mapping import MappingSpec
from justicework.dataio.models import ImportRun
from justicework.encryption.fields import blind_index
from justicework.violations.models import Incident, Location, Person, PersonIndex, Violation

from .conftest import make_person

HEADER = [
    "Case",
    "Row",
    "Title",
    "Country",
    "Place",
    "Lat",
    "Lon",
    "Act",
    "When",
    "Victim",
    "Sex",
    "Born",
    "Age",
    "Code",
]
MAPPING = {
    "fields": {
        "incident_ref": "Case",
        "incident_title": "Title",
        "country": "Country",
        "place_name": "Place",
        "latitude": "Lat",
        "longitude": "Lon",
        "type": "Act",
        "date": "When",
        "victim_name": "Victim",
        "victim_sex": "Sex",
        "victim_date_of_birth": "Born",
        "victim_age": "Age",
        "victim_code": "Code",
    },
    "key": ["Row"],
    "namespace": "survey-2024",
    "date_formats": ["%d/%m/%Y"],
}


def csv_file(tmp_path, rows, name="v.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def row(n, case="C1", **overrides):
    values = {
        "Case": case,
        "Row": f"R{n}",
        "Title": f"Shelling {case}",
        "Country": "UA",
        "Place": "Kharkiv",
        "Lat": "49.99",
        "Lon": "36.23",
        "Act": "killing_in_attack",
        "When": "2023-05",
        "Victim": f"Олена {n}",
        "Sex": "female",
        "Born": "01/02/1990",
        "Age": "33",
        "Code": "",
    }
    values.update(overrides)
    return [values[h] for h in HEADER]


def spec(**extra):
    return MappingSpec.from_dict({**MAPPING, **extra}, schemas.get("violations"))


def snapshot():
    return (
        Incident.objects.count(),
        Violation.objects.count(),
        Person.objects.count(),
        AuditEntry.objects.count(),
    )


def test_violations_schema_is_registered_by_autodiscovery():
    assert "violations" in schemas.kinds()


def test_import_creates_incidents_violations_and_encrypted_victims(cast, tmp_path):
    path = csv_file(
        tmp_path,
        [row(1), row(2), row(3, case="C2", Act="Torture", When="2022"), row(4, Victim="")],
    )
    outcome = engine.commit(
        schemas.get("violations"), cast.documenter, cast.acme, path, "csv", spec()
    )
    assert outcome.committed and outcome.created == 4, outcome.sample
    assert Incident.objects.filter(organisation=cast.acme).count() == 2
    c1 = Incident.objects.get(title="Shelling C1")
    assert c1.violations.count() == 3
    assert Location.objects.get(incident=c1).place_name == "Kharkiv"
    torture = Violation.objects.get(type="torture")
    assert torture.start_date.isoformat() == "2022-01-01"
    assert torture.date_precision == "year"
    assert Person.objects.filter(organisation=cast.acme).count() == 4
    victim = torture.person_roles.get().person
    assert victim.full_name == "Олена 3"
    assert victim.date_of_birth.isoformat() == "1990-02-01"
    assert PersonIndex.objects.filter(
        person=victim, value=blind_index("Олена 3", "person.name")
    ).exists()
    # The ciphertext, not the name, is in the database; the audit log has no identity.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM violations_person WHERE id = %s", [victim.pk])
        assert "Олена" not in cursor.fetchone()[0]
    assert not AuditEntry.objects.filter(diff__icontains="Олена").exists()
    assert AuditEntry.objects.filter(action="violations.violation.created").count() == 4
    assert verify_chain().ok


def test_labels_in_other_languages_are_accepted(cast, tmp_path):
    path = csv_file(tmp_path, [row(1, Act="Exécution extrajudiciaire ou sommaire")])
    outcome = engine.commit(
        schemas.get("violations"), cast.documenter, cast.acme, path, "csv", spec()
    )
    assert outcome.committed
    assert Violation.objects.get().type == "extrajudicial_execution"


def test_a_rerun_creates_no_duplicates_and_adds_new_rows_to_the_same_incident(cast, tmp_path):
    schema = schemas.get("violations")
    first = csv_file(tmp_path, [row(1), row(2)], "a.csv")
    engine.commit(schema, cast.documenter, cast.acme, first, "csv", spec())
    before = snapshot()
    again = engine.commit(schema, cast.documenter, cast.acme, first, "csv", spec())
    assert again.committed and again.created == 0 and again.skipped == 2
    assert snapshot()[:3] == before[:3]
    more = csv_file(tmp_path, [row(1), row(2), row(3)], "b.csv")
    result = engine.commit(schema, cast.documenter, cast.acme, more, "csv", spec())
    assert result.created == 1
    assert Incident.objects.count() == 1
    assert Violation.objects.count() == 3


def test_existing_victims_are_linked_by_code(cast, tmp_path):
    person = make_person(cast.acme, full_name="Known Person")
    path = csv_file(tmp_path, [row(1, Victim="", Sex="", Born="", Code=person.code)])
    outcome = engine.commit(
        schemas.get("violations"), cast.documenter, cast.acme, path, "csv", spec()
    )
    assert outcome.committed
    assert Violation.objects.get().person_roles.get().person == person


@pytest.mark.parametrize(
    "overrides, column, reason",
    [
        ({"Act": "shelling-ish"}, "Act", "is not a known type of act term"),
        ({"Act": "physical_integrity"}, "Act", "is a grouping of acts: choose one of its acts"),
        ({"When": "2023-02-30"}, "When", "not a real date"),
        ({"When": "2999-01-01"}, "When", "in the future"),
        ({"When": "sometime"}, "When", "is not a date"),
        ({"Country": "Atlantis"}, "Country", "is not a country"),
        ({"Lat": "123"}, "Lat", "above the maximum"),
        ({"Lon": ""}, "longitude", "both latitude and longitude"),
        ({"Age": "-1"}, "Age", "below the minimum"),
        ({"Code": "P-NOPE9", "Victim": "", "Born": "", "Sex": ""}, "victim_code", "No person"),
        ({"Title": ""}, "Title", "required"),
    ],
)
def test_bad_rows_are_reported_and_nothing_is_written(cast, tmp_path, overrides, column, reason):
    path = csv_file(tmp_path, [row(1), row(2, **overrides)])
    before = snapshot()
    found = []
    outcome = engine.validate(
        schemas.get("violations"), cast.acme, path, "csv", spec(), on_problem=found.append
    )
    assert [(p.row, p.column) for p in found] == [(3, column)]
    assert reason in found[0].reason
    committed = engine.commit(
        schemas.get("violations"), cast.documenter, cast.acme, path, "csv", spec()
    )
    assert not committed.committed and not outcome.ok
    assert snapshot() == before


def test_dry_run_through_the_action_writes_no_record_and_no_audit_entry(cast, tmp_path):
    data = csv_file(tmp_path, [row(1), row(2)]).read_bytes()
    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip
    run = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="v.csv",
        chunks=[data], mapping=mapping,
    )  # fmt: skip
    before = snapshot()
    run = dataio_actions.dry_run(cast.documenter, run)
    assert run.status == ImportRun.Status.VALID and run.total_rows == 2
    assert snapshot() == before
    run = dataio_actions.commit_run(cast.documenter, run)
    assert run.status == ImportRun.Status.COMMITTED and run.created_rows == 2
    assert AuditEntry.objects.filter(action="dataio.run.committed", object_id=str(run.pk)).exists()


def test_viewer_cannot_import(cast, tmp_path):
    with pytest.raises(PermissionDenied):
        dataio_actions.start_run(
            cast.viewer, cast.acme, kind="violations", file_format="csv", filename="v.csv",
            chunks=[b"x"],
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        dataio_actions.save_mapping(
            cast.viewer, cast.acme, kind="violations", name="x", file_format="csv", spec=MAPPING
        )


def test_analyst_with_export_but_no_import_cannot_import(cast, tmp_path):
    with pytest.raises(PermissionDenied):
        dataio_actions.save_mapping(
            cast.analyst, cast.acme, kind="violations", name="x", file_format="csv", spec=MAPPING
        )


def test_outsider_cannot_import_into_acme(cast, tmp_path):
    path = csv_file(tmp_path, [row(1)])
    with pytest.raises(PermissionDenied):
        engine.commit(schemas.get("violations"), cast.outsider, cast.acme, path, "csv", spec())
    assert Violation.objects.count() == 0


def _crash_on_call(monkeypatch, n):
    from justicework.violations import actions

    real = actions.bulk_create_violations
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise RuntimeError("simulated crash")
        return real(*args, **kwargs)

    # The importer looks the name up on the package at call time: patching it there is
    # patching every caller (a crash that never comes fails the caller's pytest.raises).
    monkeypatch.setattr(actions, "bulk_create_violations", flaky)
    return lambda: monkeypatch.setattr(actions, "bulk_create_violations", real)


@pytest.mark.django_db(transaction=True)
def test_crash_in_an_atomic_import_leaves_nothing(cast, tmp_path, monkeypatch):
    path = csv_file(tmp_path, [row(n, case=f"C{n // 2}") for n in range(7)])
    before = snapshot()
    restore = _crash_on_call(monkeypatch, 3)
    schema = schemas.get("violations")
    with pytest.raises(RuntimeError):
        engine.commit(schema, cast.documenter, cast.acme, path, "csv", spec(), chunk_size=2)
    assert snapshot() == before
    restore()
    outcome = engine.commit(schema, cast.documenter, cast.acme, path, "csv", spec(), chunk_size=2)
    assert outcome.created == 7 and Violation.objects.count() == 7
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_crash_in_a_resumable_import_keeps_chunks_and_resumes_without_duplicates(
    cast, tmp_path, monkeypatch
):
    path = csv_file(tmp_path, [row(n, case=f"C{n // 2}") for n in range(7)])
    restore = _crash_on_call(monkeypatch, 3)
    schema = schemas.get("violations")
    with pytest.raises(RuntimeError):
        engine.commit(
            schema, cast.documenter, cast.acme, path, "csv", spec(), resumable=True, chunk_size=2
        )
    assert Violation.objects.count() == 4
    restore()
    outcome = engine.commit(
        schema, cast.documenter, cast.acme, path, "csv", spec(), resumable=True, chunk_size=2
    )
    assert outcome.created == 3 and outcome.skipped == 4
    assert Violation.objects.count() == 7
    assert Incident.objects.count() == 4  # C0..C3: incidents of resumed chunks are reused
    assert Person.objects.count() == 7
    assert verify_chain().ok
