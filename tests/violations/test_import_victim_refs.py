"""Victims by the source's own id (``victim_ref``): a victim named on several rows of one file,
or in a later file under the same namespace, is one person; another organisation or namespace
gets its own; the dry run does not flag a referenced victim as a duplicate of itself."""

from __future__ import annotations

import csv
import io

import pytest

from justicework.audit.models import AuditEntry
from justicework.dataio import engine
from justicework.dataio import schema as schemas
from justicework.dataio.mapping import MappingSpec
from justicework.dataio.mapping_checks import check_mapping
from justicework.dataio.models import ImportedRow
from justicework.violations.import_victims import PERSON_KEY_KIND
from justicework.violations.models import Person, Violation

pytestmark = pytest.mark.django_db

HEADER = ["Row", "Case", "Act", "When", "VictimId", "Victim", "Born", "Code"]
MAPPING = {
    "fields": {
        "incident_ref": "Row",
        "incident_title": "Case",
        "country": {"value": "UA"},
        "type": "Act",
        "date": "When",
        "victim_ref": "VictimId",
        "victim_name": "Victim",
        "victim_date_of_birth": "Born",
        "victim_code": "Code",
    },
    "key": ["Row"],
    "namespace": "victims-list",
}


def csv_file(tmp_path, rows, name="victims.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def row(n, **overrides):
    values = {
        "Row": f"E{n}",
        "Case": f"Detention {n}",
        "Act": "torture",
        "When": "2022-04-01",
        "VictimId": "V-1",
        "Victim": "Olena Kovalenko",
        "Born": "1990-02-01",
        "Code": "",
    }
    values.update(overrides)
    return [values[h] for h in HEADER]


def spec(**extra):
    return MappingSpec.from_dict({**MAPPING, **extra}, schemas.get("violations"))


def commit(cast, path, user=None, organisation=None, **extra):
    return engine.commit(
        schemas.get("violations"), user or cast.documenter, organisation or cast.acme, path,
        "csv", spec(**extra),
    )  # fmt: skip


def victim_of(title: str) -> Person:
    return Violation.objects.get(incident__title=title).person_roles.get().person


def test_a_victim_named_on_several_rows_is_one_person(cast, tmp_path):
    rows = [
        row(1),
        row(2, Victim="Olena I. Kovalenko", Born=""),  # spelt otherwise: the id decides
        row(3, VictimId="V-2", Victim="Petro Shevchenko", Born=""),
        row(4, VictimId="", Victim="Iryna Bondar"),  # no id: a person of its own
        row(5),
    ]
    outcome = commit(cast, csv_file(tmp_path, rows))
    assert outcome.committed and outcome.created == 5, outcome.sample
    assert Person.objects.filter(organisation=cast.acme).count() == 3
    assert victim_of("Detention 1") == victim_of("Detention 2") == victim_of("Detention 5")
    assert victim_of("Detention 3") != victim_of("Detention 1")
    assert victim_of("Detention 1").full_name == "Olena Kovalenko"  # the first row's identity
    assert AuditEntry.objects.filter(action="violations.person.created").count() == 3
    # The references are stored as keyed hashes only.
    stored = ImportedRow.objects.filter(kind=PERSON_KEY_KIND)
    assert stored.count() == 2
    assert not any("V-1" in key for key in stored.values_list("key_hash", flat=True))


def test_a_later_file_finds_the_victim_again_by_its_reference(cast, tmp_path):
    commit(cast, csv_file(tmp_path, [row(1)], "a.csv"))
    first = victim_of("Detention 1")
    outcome = commit(cast, csv_file(tmp_path, [row(2, Victim="O. Kovalenko"), row(3)], "b.csv"))
    assert outcome.committed and outcome.created == 2, outcome.sample
    assert victim_of("Detention 2") == victim_of("Detention 3") == first
    assert Person.objects.count() == 1


def test_a_reference_with_only_a_status_or_nothing_else_still_makes_one_person(cast, tmp_path):
    rows = [row(1, Victim="", Born=""), row(2, Victim="", Born="")]
    outcome = commit(cast, csv_file(tmp_path, rows))
    assert outcome.committed, outcome.sample
    assert Person.objects.count() == 1
    assert victim_of("Detention 1") == victim_of("Detention 2")


def test_another_organisation_or_namespace_gets_its_own_person(cast, tmp_path):
    commit(cast, csv_file(tmp_path, [row(1)], "a.csv"))
    commit(cast, csv_file(tmp_path, [row(2)], "b.csv"), namespace="another-list")
    commit(
        cast, csv_file(tmp_path, [row(3)], "c.csv"), user=cast.outsider, organisation=cast.beacon
    )
    assert Person.objects.filter(organisation=cast.acme).count() == 2
    assert Person.objects.filter(organisation=cast.beacon).count() == 1


def test_a_reference_beside_a_victim_code_is_a_row_error_and_writes_nothing(cast, tmp_path):
    commit(cast, csv_file(tmp_path, [row(1)], "a.csv"))
    code = victim_of("Detention 1").code
    path = csv_file(tmp_path, [row(2, Victim="", Born="", Code=code)], "b.csv")
    found = []
    engine.validate(schemas.get("violations"), cast.acme, path, "csv", spec(),
                    on_problem=found.append)  # fmt: skip
    assert [(p.row, p.column) for p in found] == [(2, "victim_ref")], found
    assert "not both" in found[0].reason
    before = (Violation.objects.count(), Person.objects.count(), AuditEntry.objects.count())
    outcome = commit(cast, path)
    assert not outcome.committed
    assert (Violation.objects.count(), Person.objects.count(), AuditEntry.objects.count()) == (
        before
    )


def test_the_dry_run_does_not_flag_a_referenced_victim_as_a_duplicate_of_itself(cast, tmp_path):
    commit(cast, csv_file(tmp_path, [row(1)], "a.csv"))
    rows = [
        row(2),  # the stored victim, by its reference
        row(3),  # the same again
        row(4, VictimId="V-9"),  # another id, the same name and birth date: flagged
        row(5, VictimId=""),  # no id, the same name and birth date: flagged
    ]
    outcome = engine.validate(
        schemas.get("violations"), cast.acme, csv_file(tmp_path, rows, "b.csv"), "csv", spec()
    )
    assert outcome.error_count == 0
    assert sorted({flag.row for flag in outcome.flags}) == [4, 5], outcome.flags


def test_the_json_mapping_and_the_builder_offer_victim_ref():
    schema = schemas.get("violations")
    check_mapping(MAPPING, schema)  # no problem
    field = schema.field_map()["victim_ref"]
    assert "source's own id" in str(field.label) and field.allowed is None
    assert field.parse("V-1") == "V-1"
