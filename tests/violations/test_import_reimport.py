"""Re-imports that update: a corrected release's dry run tells new, unchanged and changed rows,
shows a field-by-field diff against the stored records (identities only to whom may see them,
audited), and applying writes audited updates with the old values, all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.models import AuditEntry
from justicework.dataio import actions as dataio_actions
from justicework.dataio import reimport, runs
from justicework.dataio.models import ImportedRow, ImportRun, RowChange
from justicework.violations import actions
from justicework.violations.models import Incident, Person, Violation

from .test_import import MAPPING, csv_file, row
from .test_import_views import csv_bytes


@pytest.fixture
def mapping(cast):
    return dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip


def upload(cast, mapping, rows, user=None, name="v.csv") -> ImportRun:
    return dataio_actions.start_run(
        user or cast.documenter, cast.acme, kind="violations", file_format="csv",
        filename=name, chunks=[csv_bytes(rows)], mapping=mapping,
    )  # fmt: skip


def imported(cast, mapping, rows) -> None:
    run = upload(cast, mapping, rows, name="first.csv")
    dataio_actions.dry_run(cast.documenter, run)
    dataio_actions.commit_run(cast.documenter, run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED, list(run.row_errors.all())


def checked(cast, mapping, rows, user=None) -> ImportRun:
    run = upload(cast, mapping, rows, user=user, name="corrected.csv")
    dataio_actions.dry_run(user or cast.documenter, run)
    run.refresh_from_db()
    return run


def violation_of(row_id: str) -> Violation:
    from justicework.dataio.mapping import key_hash

    key = key_hash("survey-2024", [row_id])
    return Violation.objects.get(pk=int(ImportedRow.objects.get(key_hash=key).object_id))


def test_import_stores_a_content_hash_with_each_row_key(cast, mapping):
    imported(cast, mapping, [row(1), row(2)])
    hashes = list(ImportedRow.objects.filter(kind="violations").values_list("content_hash", flat=1))
    assert len(hashes) == 2 and all(len(h) == 32 for h in hashes) and hashes[0] != hashes[1]
    # Incident references keep no content hash (they are not rows).
    assert set(
        ImportedRow.objects.filter(kind="violations.incident").values_list("content_hash", flat=1)
    ) == {""}


def test_dry_run_of_a_corrected_release_counts_new_unchanged_and_changed_rows(cast, mapping):
    imported(cast, mapping, [row(1), row(2), row(3)])
    run = checked(cast, mapping, [row(1), row(2, Act="torture"), row(3, When="2023-06"), row(4)])
    assert run.status == ImportRun.Status.VALID
    assert (run.total_rows, run.skipped_rows, run.changed_rows) == (4, 3, 2)
    assert list(RowChange.objects.filter(run=run).values_list("row", flat=True)) == [3, 4]
    assert Violation.objects.count() == 3  # the dry run wrote nothing
    assert not AuditEntry.objects.filter(action="violations.violation.updated").exists()


def test_the_diff_lists_field_label_old_and_new_values(cast, mapping):
    imported(cast, mapping, [row(1), row(2)])
    run = checked(cast, mapping, [row(1, Act="torture", When="2023-06"), row(2)])
    (diff,) = dataio_actions.run_diff(cast.documenter, run)
    fields = {f.name: f for f in diff.fields}
    assert set(fields) == {"type", "date"}
    assert fields["type"].label == "Type of act"
    assert fields["type"].old.endswith("(killing_in_attack)")
    assert fields["type"].new.endswith("(torture)")
    assert (fields["date"].old, fields["date"].new) == ("2023-05", "2023-06")


def test_the_diff_compares_with_the_stored_records_so_manual_edits_show(cast, mapping):
    imported(cast, mapping, [row(1)])
    violation = violation_of("R1")
    actions.update_violation(cast.documenter, violation, description="edited by hand")
    run = checked(cast, mapping, [row(1, Act="torture")])
    (diff,) = dataio_actions.run_diff(cast.documenter, run)
    # The description is not mapped: a manual edit of an unmapped field is no change.
    assert [f.name for f in diff.fields] == ["type"]
    actions.update_violation(cast.documenter, violation, type="enforced_disappearance")
    (diff,) = dataio_actions.run_diff(cast.documenter, run)
    assert diff.fields[0].old.endswith("(enforced_disappearance)")


def test_identity_changes_are_hidden_from_whom_may_not_see_them(cast, mapping):
    imported(cast, mapping, [row(1)])
    person = Person.objects.get()
    run = checked(cast, mapping, [row(1, Victim="Олена Петрівна")])
    before = AuditEntry.objects.filter(action="violations.person.identity_revealed").count()
    # The documenter who imported holds no need-to-know on the person: hidden.
    (diff,) = dataio_actions.run_diff(cast.documenter, run)
    (name,) = diff.fields
    assert (name.name, name.hidden, name.old, name.new) == ("victim_name", True, "", "")
    assert AuditEntry.objects.filter(action="violations.person.identity_revealed").count() == before
    actions.grant_need_to_know(cast.admin, cast.documenter, person, reason="checking a release")
    (diff,) = dataio_actions.run_diff(cast.documenter, run)
    (name,) = diff.fields
    assert (name.hidden, name.old, name.new) == (False, "Олена 1", "Олена Петрівна")
    revealed = AuditEntry.objects.filter(action="violations.person.identity_revealed")
    assert revealed.count() == before + 1
    assert "Олена" not in str(revealed.last().diff)


def test_applying_writes_audited_updates_with_the_old_values(cast, mapping):
    imported(cast, mapping, [row(1), row(2)])
    run = checked(cast, mapping, [row(1, Act="torture", Place="Izium"), row(2, Age="34")])
    assert dataio_actions.apply_changes(cast.documenter, run) == 2
    first, second = violation_of("R1"), violation_of("R2")
    assert (first.type, first.location.place_name, second.victim_age) == ("torture", "Izium", 34)
    updated = AuditEntry.objects.filter(action="violations.violation.updated")
    assert {e.object_id: e.diff for e in updated} == {
        str(first.pk): {"type": ["killing_in_attack", "torture"]},
        str(second.pk): {"victim_age": [33, 34]},
    }
    place = AuditEntry.objects.get(action="violations.location.updated")
    assert place.diff == {"place_name": ["Kharkiv", "Izium"]}
    applied = AuditEntry.objects.get(action="dataio.run.changes_applied")
    assert applied.diff["rows"] == 2 and applied.diff["records_changed"] == 2
    # The rows' hashes are the new values now: a third check finds nothing changed.
    again = checked(cast, mapping, [row(1, Act="torture", Place="Izium"), row(2, Age="34")])
    assert (again.skipped_rows, again.changed_rows) == (2, 0)


def test_deselected_rows_are_left_as_they_are(cast, mapping):
    imported(cast, mapping, [row(1), row(2)])
    run = checked(cast, mapping, [row(1, Act="torture"), row(2, Act="torture")])
    assert dataio_actions.apply_changes(cast.documenter, run, rows=[3]) == 1
    assert (violation_of("R1").type, violation_of("R2").type) == ("killing_in_attack", "torture")
    assert list(RowChange.objects.filter(run=run, applied=False).values_list("row", flat=1)) == [2]
    with pytest.raises(ValidationError, match="No changed row"):
        dataio_actions.apply_changes(cast.documenter, run, rows=[3])


def test_a_verified_incident_that_changes_returns_to_documented(cast, mapping):
    imported(cast, mapping, [row(1)])
    incident = Incident.objects.get()
    actions.change_incident_status(cast.admin, incident, Incident.Status.DOCUMENTED)
    actions.change_incident_status(cast.admin, incident, Incident.Status.VERIFIED)
    run = checked(cast, mapping, [row(1, Title="Shelling of the market")])
    dataio_actions.apply_changes(cast.documenter, run, reason="the source corrected its title")
    incident.refresh_from_db()
    assert (incident.title, incident.status) == ("Shelling of the market", "documented")
    entry = AuditEntry.objects.get(action="violations.incident.updated")
    assert entry.diff["title"] == ["Shelling C1", "Shelling of the market"]
    assert entry.diff["status"] == ["verified", "documented"]
    assert entry.diff["reason"] == "the source corrected its title"


def test_applying_is_all_or_nothing(cast, mapping, monkeypatch):
    imported(cast, mapping, [row(1), row(2)])
    run = checked(cast, mapping, [row(1, Act="torture"), row(2, Act="torture")])
    real = actions.update_violation
    calls = []

    def second_fails(actor, violation, **changes):
        calls.append(violation.pk)
        if len(calls) == 2:
            raise ValidationError({"type": "refused"})
        return real(actor, violation, **changes)

    monkeypatch.setattr(actions, "update_violation", second_fails)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="Row 3"):
        dataio_actions.apply_changes(cast.documenter, run)
    assert set(Violation.objects.values_list("type", flat=True)) == {"killing_in_attack"}
    assert AuditEntry.objects.count() == before
    assert RowChange.objects.filter(run=run, applied=False).count() == 2


def test_a_hidden_identity_change_cannot_be_applied_without_need_to_know(cast, mapping):
    imported(cast, mapping, [row(1)])
    run = checked(cast, mapping, [row(1, Victim="Олена Петрівна", Act="torture")])
    with pytest.raises(ValidationError, match="Row 2"):
        dataio_actions.apply_changes(cast.documenter, run)
    assert Violation.objects.get().type == "killing_in_attack"  # nothing half-written
    actions.grant_need_to_know(cast.admin, cast.documenter, Person.objects.get(), reason="fix")
    dataio_actions.apply_changes(cast.documenter, run)
    person = Person.objects.get()
    assert person.full_name == "Олена Петрівна"
    entry = AuditEntry.objects.get(action="violations.person.identity_changed")
    assert entry.diff == {"full_name": "changed"}  # never the plaintext


@pytest.mark.parametrize("who", ["viewer", "analyst", "coordinator", "outsider"])
def test_users_who_may_not_import_and_edit_cannot_apply(cast, mapping, who):
    imported(cast, mapping, [row(1)])
    run = checked(cast, mapping, [row(1, Act="torture")])
    with pytest.raises(PermissionDenied):
        dataio_actions.apply_changes(getattr(cast, who), run)
    assert Violation.objects.get().type == "killing_in_attack"


def test_importing_without_editing_records_cannot_apply(cast, mapping, monkeypatch):
    from justicework.violations.io import ViolationSchema

    imported(cast, mapping, [row(1)])
    run = checked(cast, mapping, [row(1, Act="torture")])
    # As if editing imported rows needed a capability the documenter lacks (org.manage).
    monkeypatch.setattr(ViolationSchema, "update_action", "reindex_persons")
    with pytest.raises(PermissionDenied, match="changing these records"):
        dataio_actions.apply_changes(cast.documenter, run)
    assert Violation.objects.get().type == "killing_in_attack"


def test_rows_imported_before_content_hashes_are_compared_with_the_stored_records(cast, mapping):
    imported(cast, mapping, [row(1), row(2)])
    ImportedRow.objects.update(content_hash="")  # as imported before this change
    run = checked(cast, mapping, [row(1), row(2, Act="torture")])
    assert (run.skipped_rows, run.changed_rows) == (2, 1)
    assert RowChange.objects.get(run=run).stored_hash == ""
    dataio_actions.apply_changes(cast.documenter, run)
    assert violation_of("R2").type == "torture"
    assert ImportedRow.objects.filter(kind="violations", content_hash="").count() == 1


def test_changes_are_applied_only_after_a_clean_check_with_the_file_at_hand(cast, mapping):
    imported(cast, mapping, [row(1)])
    run = upload(cast, mapping, [row(1, Act="torture")])
    with pytest.raises(ValidationError, match="Check the file first"):
        dataio_actions.apply_changes(cast.documenter, run)
    dataio_actions.dry_run(cast.documenter, run)
    run.refresh_from_db()
    runs.file_intact(run)
    from pathlib import Path

    Path(run.stored_path).unlink()
    with pytest.raises(ValidationError, match="upload it again"):
        dataio_actions.apply_changes(cast.documenter, run)


def test_content_hash_ignores_column_order_and_follows_values(tmp_path):
    from justicework.dataio.mapping import content_hash

    assert content_hash({"a": 1, "b": "x"}) == content_hash({"b": "x", "a": 1})
    assert content_hash({"a": 1, "b": "x"}) != content_hash({"a": 1, "b": "y"})
    assert reimport.same(None, "") and reimport.same(False, None)
    assert not reimport.same("a", "b")


def test_the_dry_run_engine_counts_changes_in_one_pass(cast, mapping, tmp_path):
    from justicework.dataio import engine
    from justicework.dataio import schema as schemas

    from .test_import import spec

    imported(cast, mapping, [row(1), row(2)])
    path = csv_file(tmp_path, [row(1), row(2, Act="torture"), row(3)])
    outcome = engine.validate(schemas.get("violations"), cast.acme, path, "csv", spec())
    assert (outcome.rows, outcome.already_imported, outcome.changed) == (3, 2, 1)
    assert [c.number for c in outcome.changes] == [3]


def test_a_row_whose_record_is_gone_is_refused_by_its_number(cast, mapping):
    imported(cast, mapping, [row(1), row(2)])
    run = checked(cast, mapping, [row(1, Act="torture"), row(2, Act="torture")])
    ImportedRow.objects.filter(kind="violations", object_id=str(violation_of("R2").pk)).update(
        object_id="999999"
    )
    with pytest.raises(ValidationError, match="Row 3: its record no longer exists"):
        dataio_actions.apply_changes(cast.documenter, run)
    assert not Violation.objects.filter(type="torture").exists()
    assert dataio_actions.apply_changes(cast.documenter, run, rows=[2]) == 1
