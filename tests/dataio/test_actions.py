"""``dataio.actions`` called directly (generic ``testrows`` kind): mappings saved, replaced and
deleted with their audit entries and refusals by field; a run is refused before any file is
stored; the mapping of a run changed or refused; scheduling refused with the reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.models import AuditEntry
from justicework.dataio import actions
from justicework.dataio.models import ImportRun, Mapping

from .conftest import HEADER, KIND, SPEC, good_rows, write_csv


def save(cast, name="Rows", actor=None, organisation=None, **extra):
    values = {"kind": KIND, "name": name, "file_format": "csv", "spec": SPEC, **extra}
    return actions.save_mapping(actor or cast.documenter, organisation or cast.acme, **values)


def stored_files() -> set[str]:
    return {p.name for p in actions.upload_dir().iterdir()}


def start(cast, tmp_path, **extra) -> ImportRun:
    data = write_csv(tmp_path / "rows.csv", [HEADER, *good_rows(2)]).read_bytes()
    values = {"kind": KIND, "file_format": "csv", "filename": "rows.csv", "chunks": [data]}
    return actions.start_run(cast.documenter, cast.acme, **{**values, **extra})


# --- mappings -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_mapping_needs_a_name_of_1_to_100_characters(cast, rows_schema, name):
    with pytest.raises(ValidationError) as refused:
        save(cast, name=name)
    assert refused.value.message_dict == {
        "name": ["A mapping needs a name of 1 to 100 characters."]
    }
    assert not Mapping.objects.exists()


def test_a_mapping_name_is_stripped(cast, rows_schema):
    assert save(cast, name="  Survey  ").name == "Survey"


def test_a_mapping_needs_a_known_format(cast, rows_schema):
    with pytest.raises(ValidationError) as refused:
        save(cast, file_format="pdf")
    assert refused.value.message_dict == {"file_format": ["Choose CSV, XLSX or Kobo JSON."]}


def test_a_bad_spec_is_refused_on_the_spec_field(cast, rows_schema):
    with pytest.raises(ValidationError) as refused:
        save(cast, spec={"fields": {"shoe_size": "Shoe"}})
    assert list(refused.value.message_dict) == ["spec"]
    assert "shoe_size" in refused.value.message_dict["spec"][0]


def test_saving_again_replaces_the_spec_and_audits_what_changed(cast, rows_schema):
    first = save(cast)
    again = save(cast, file_format="xlsx")
    assert again.pk == first.pk and again.file_format == "xlsx"
    entry = AuditEntry.objects.get(action="dataio.mapping.updated")
    assert entry.diff["file_format"] == ["csv", "xlsx"]
    assert "spec" not in entry.diff  # unchanged


def test_a_mapping_unknown_kind_is_refused(cast, rows_schema):
    with pytest.raises(LookupError, match="No import schema registered for 'bananas'"):
        actions.save_mapping(
            cast.documenter, cast.acme, kind="bananas", name="x", file_format="csv", spec=SPEC
        )


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_someone_without_import_in_acme_cannot_save_or_delete_its_mappings(cast, rows_schema, who):
    mapping = save(cast)
    with pytest.raises(PermissionDenied):
        save(cast, name="Theirs", actor=getattr(cast, who))
    with pytest.raises(PermissionDenied):
        actions.delete_mapping(getattr(cast, who), mapping)
    assert list(Mapping.objects.values_list("name", flat=True)) == ["Rows"]
    assert not AuditEntry.objects.filter(action="dataio.mapping.deleted").exists()


# --- runs -----------------------------------------------------------------------------------------


def test_a_mapping_of_another_organisation_is_refused_before_the_file_is_stored(
    cast, rows_schema, tmp_path
):
    theirs = save(cast, name="Theirs", actor=cast.outsider, organisation=cast.beacon)
    before = stored_files()
    with pytest.raises(PermissionDenied):
        start(cast, tmp_path, mapping=theirs)
    assert stored_files() == before
    assert not ImportRun.objects.exists()


def test_a_mapping_of_another_kind_is_refused_by_field(cast, rows_schema, tmp_path):
    mapping = save(cast)
    Mapping.objects.filter(pk=mapping.pk).update(kind="violations")
    mapping.refresh_from_db()
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        start(cast, tmp_path, mapping=mapping)
    assert refused.value.message_dict == {"mapping": ["This mapping belongs to another import."]}
    assert stored_files() == before


def test_an_unknown_mode_is_refused_by_field_before_the_file_is_stored(cast, rows_schema, tmp_path):
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        start(cast, tmp_path, mode="sometimes")
    assert refused.value.message_dict == {"mode": ["Choose all-or-nothing or resumable."]}
    assert stored_files() == before and not ImportRun.objects.exists()


def test_a_long_file_name_is_cut_to_its_column(cast, rows_schema, tmp_path):
    run = start(cast, tmp_path, filename="x" * 300 + ".csv")
    assert len(run.filename) == 255


def test_choosing_a_mode_that_does_not_exist_changes_nothing(cast, rows_schema, tmp_path):
    mapping = save(cast)
    run = start(cast, tmp_path, mapping=mapping)
    with pytest.raises(ValidationError) as refused:
        actions.choose_mapping(cast.documenter, run, mapping, "sometimes")
    assert list(refused.value.message_dict) == ["mode"]
    assert ImportRun.objects.get(pk=run.pk).mode == ImportRun.Mode.ATOMIC


def test_an_outsider_cannot_choose_a_mapping_for_acmes_run(cast, rows_schema, tmp_path):
    mapping = save(cast)
    run = start(cast, tmp_path)
    with pytest.raises(PermissionDenied):
        actions.choose_mapping(cast.outsider, run, mapping, "atomic")
    assert ImportRun.objects.get(pk=run.pk).mapping is None


@pytest.mark.parametrize("phase", ["validate", "", "COMMIT"])
def test_an_unknown_step_is_refused(cast, rows_schema, tmp_path, phase):
    run = start(cast, tmp_path, mapping=save(cast))
    with pytest.raises(ValidationError) as refused:
        actions.schedule(cast.documenter, run, phase)
    assert refused.value.message_dict == {"phase": ["Unknown step."]}
    assert not ImportRun.objects.get(pk=run.pk).progress_id


def test_a_run_that_is_running_cannot_be_scheduled_again(cast, rows_schema, tmp_path):
    run = start(cast, tmp_path, mapping=save(cast))
    from justicework.dataio import liveness

    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.VALIDATING, owner=liveness.current_owner()
    )
    run.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        actions.schedule(cast.documenter, run, "check")
    assert refused.value.message_dict == {"status": ["This import is already running."]}
