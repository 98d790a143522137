"""``justicework import KIND FILE``: bad arguments refused by name before anything is read,
a dry run that reports every bad row and writes nothing, a commit that reports its counts and
errors, refusals of users and organisations that may not import. Uses the generic ``testrows``
schema of ``conftest``, so only the command's own behaviour is under test."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from justicework.audit.models import AuditEntry
from justicework.core import actions as core_actions
from justicework.core.models import Organisation
from justicework.core.roles import Role
from justicework.dataio import actions
from justicework.dataio.models import ImportedRow, ImportRun, Mapping

from .conftest import HEADER, KIND, SPEC, created_rows, good_rows, write_csv


@pytest.fixture
def mapping(rows_schema, cast):
    return actions.save_mapping(
        cast.documenter, cast.acme, kind=KIND, name="Rows", file_format="csv", spec=SPEC
    )


ACME = "(acme's slug)"


def run_import(*args: str, who: str = "documenter@acme.test", org: str | None = ACME):
    """Run the command as ``who`` in ``org`` (a slug; ``ACME``: acme's; None: no
    ``--organisation``); return (stdout, stderr, exit code or None)."""
    out, err = io.StringIO(), io.StringIO()
    argv = ["import", *args, "--as", who]
    if org == ACME:
        org = Organisation.objects.get(name="Acme Rights Watch").slug
    if org is not None:
        argv += ["--organisation", org]
    try:
        call_command(*argv, stdout=out, stderr=err)
    except SystemExit as exc:
        return out.getvalue(), err.getvalue(), exc.code
    return out.getvalue(), err.getvalue(), None


def nothing_written() -> bool:
    return not created_rows() and not ImportedRow.objects.exists()


@pytest.fixture
def good_file(tmp_path):
    return write_csv(tmp_path / "rows.csv", [HEADER, *good_rows(3)])


# --- arguments refused before anything is read --------------------------------------------------


def test_an_unknown_kind_is_refused_with_the_known_kinds(cast, rows_schema, good_file):
    with pytest.raises(CommandError, match=r"Unknown kind 'bananas'; known: .*testrows"):
        run_import("bananas", str(good_file), "--mapping", "Rows", org=cast.acme.slug)
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("email", ["nobody@acme.test", "", "documenter@acme"])
def test_an_unknown_acting_user_is_refused_by_address(cast, mapping, good_file, email):
    expected = f"No active user with the e-mail address {email!r}"
    with pytest.raises(CommandError, match=re.escape(expected)):
        run_import(KIND, str(good_file), "--mapping", "Rows", who=email, org=cast.acme.slug)
    assert nothing_written()


def test_a_deactivated_user_cannot_import(cast, mapping, good_file):
    type(cast.documenter).objects.filter(pk=cast.documenter.pk).update(is_active=False)
    with pytest.raises(CommandError, match="No active user"):
        run_import(KIND, str(good_file), "--mapping", "Rows", org=cast.acme.slug)
    assert nothing_written()


def test_the_acting_users_address_is_matched_without_regard_to_case(cast, mapping, good_file):
    out, _err, code = run_import(
        KIND, str(good_file), "--mapping", "Rows", who="DOCUMENTER@Acme.Test", org=cast.acme.slug
    )
    assert code is None
    assert "3 rows, 3 created" in out


def test_an_unknown_organisation_is_refused_by_its_short_name(cast, mapping, good_file):
    with pytest.raises(CommandError, match="No active organisation with the short name 'nope'"):
        run_import(KIND, str(good_file), "--mapping", "Rows", org="nope")
    assert nothing_written()


def test_the_only_organisation_a_user_may_import_into_is_taken_without_organisation(
    cast, mapping, good_file
):
    out, _err, code = run_import(KIND, str(good_file), "--mapping", "Rows", org=None)
    assert code is None and "3 created" in out
    run = ImportRun.objects.get()
    assert run.organisation == cast.acme


def test_a_user_of_two_importing_organisations_must_name_one(cast, mapping, good_file):
    core_actions.add_member(None, cast.beacon, cast.documenter, Role.DOCUMENTER)
    cast.documenter.forget_memberships()
    with pytest.raises(CommandError) as refused:
        run_import(KIND, str(good_file), "--mapping", "Rows", org=None)
    message = str(refused.value)
    assert "Give --organisation SLUG (one of:" in message
    assert cast.acme.slug in message and cast.beacon.slug in message
    assert nothing_written()


def test_a_user_who_may_import_nowhere_is_asked_for_an_organisation(cast, rows_schema, good_file):
    with pytest.raises(CommandError, match=r"^Give --organisation SLUG\.$"):
        run_import(KIND, str(good_file), "--mapping", "Rows", who=cast.viewer.email, org=None)


def test_a_missing_file_is_refused_by_its_path(cast, mapping, tmp_path):
    missing = tmp_path / "gone.csv"
    with pytest.raises(CommandError, match=re.escape(f"{missing}: no such file.")):
        run_import(KIND, str(missing), "--mapping", "Rows")
    assert not ImportRun.objects.exists()


def test_a_directory_is_not_a_file(cast, mapping, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run_import(KIND, str(tmp_path), "--mapping", "Rows")


def test_a_file_whose_format_cannot_be_told_needs_format(cast, mapping, tmp_path):
    path = write_csv(tmp_path / "rows.txt", [HEADER, *good_rows(2)])
    with pytest.raises(CommandError, match="Cannot tell the format from the file name"):
        run_import(KIND, str(path), "--mapping", "Rows")
    out, _err, code = run_import(KIND, str(path), "--mapping", "Rows", "--format", "csv")
    assert code is None and "2 rows, 2 created" in out


def test_the_suffix_is_read_without_regard_to_case(cast, mapping, tmp_path):
    path = write_csv(tmp_path / "ROWS.CSV", [HEADER, *good_rows(2)])
    out, _err, code = run_import(KIND, str(path), "--mapping", "Rows")
    assert code is None and "2 created" in out


def test_a_mapping_name_is_required(cast, mapping, good_file):
    with pytest.raises(CommandError, match=r"Give --mapping NAME \(a saved mapping\)"):
        run_import(KIND, str(good_file))
    assert nothing_written()


def test_resume_and_dry_run_cannot_be_combined(cast, mapping, good_file):
    with pytest.raises(CommandError, match="it cannot be combined with --dry-run"):
        run_import(KIND, str(good_file), "--mapping", "Rows", "--resume", "--dry-run")
    assert nothing_written()


def test_an_unknown_mapping_is_refused_by_name_kind_and_organisation(cast, mapping, good_file):
    with pytest.raises(CommandError) as refused:
        run_import(KIND, str(good_file), "--mapping", "Survey 2019")
    assert str(refused.value) == (
        f"No mapping 'Survey 2019' for {KIND} in {cast.acme.slug} that you may use."
    )
    assert nothing_written()


def test_another_organisations_mapping_of_the_same_name_is_not_used(cast, mapping, good_file):
    actions.save_mapping(
        cast.outsider, cast.beacon, kind=KIND, name="Beacon rows", file_format="csv", spec=SPEC
    )
    with pytest.raises(CommandError, match="No mapping 'Beacon rows'"):
        run_import(KIND, str(good_file), "--mapping", "Beacon rows")


# --- permissions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["viewer", "analyst", "coordinator", "reviewer"])
def test_a_member_without_import_is_told_there_is_no_mapping_they_may_use(
    cast, mapping, good_file, who
):
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError, match=r"No mapping 'Rows' .* that you may use"):
        run_import(KIND, str(good_file), "--mapping", "Rows", who=getattr(cast, who).email)
    assert nothing_written()
    assert not ImportRun.objects.exists()
    assert AuditEntry.objects.count() == before


def test_a_member_without_import_cannot_save_a_mapping_either(cast, rows_schema, tmp_path):
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(SPEC), encoding="utf-8")
    path = write_csv(tmp_path / "rows.csv", [HEADER, *good_rows(1)])
    with pytest.raises(CommandError, match=r"^Not allowed: "):
        run_import(
            KIND, str(path), "--mapping", "Mine", "--save-mapping", str(spec_path),
            who=cast.viewer.email,
        )  # fmt: skip
    assert not Mapping.objects.exists()
    assert nothing_written()


def test_an_outsider_naming_acme_cannot_use_acmes_mapping(cast, mapping, good_file):
    with pytest.raises(CommandError, match=r"No mapping 'Rows' .* that you may use"):
        run_import(KIND, str(good_file), "--mapping", "Rows", who=cast.outsider.email)
    assert nothing_written()


def test_an_outsider_cannot_save_a_mapping_into_acme(cast, rows_schema, tmp_path):
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(SPEC), encoding="utf-8")
    path = write_csv(tmp_path / "rows.csv", [HEADER, *good_rows(1)])
    with pytest.raises(CommandError, match=r"^Not allowed: "):
        run_import(
            KIND, str(path), "--mapping", "Theirs", "--save-mapping", str(spec_path),
            who=cast.outsider.email,
        )  # fmt: skip
    assert not Mapping.objects.filter(organisation=cast.acme).exists()


# --- dry run ------------------------------------------------------------------------------


def test_a_clean_dry_run_counts_the_rows_and_writes_nothing(cast, mapping, good_file):
    before = AuditEntry.objects.count()
    out, _err, code = run_import(KIND, str(good_file), "--mapping", "Rows", "--dry-run")
    assert code is None
    assert re.search(
        r"Dry run: 3 rows, 3 valid, 0 errors, 0 already imported \(0 unchanged, 0 changed\), "
        r"3 new \(\d+\.\d s\)\. "
        r"Nothing was written\.",
        out,
    ), out
    assert nothing_written()
    assert not ImportRun.objects.exists()
    assert AuditEntry.objects.count() == before


def test_a_dry_run_lists_each_bad_cell_and_exits_with_1(cast, mapping, tmp_path):
    path = write_csv(
        tmp_path / "rows.csv",
        [HEADER, ["a", "Ann", "2001-02-03", "red", "1"], ["b", "", "not a date", "purple", "x"]],
    )
    out, _err, code = run_import(KIND, str(path), "--mapping", "Rows", "--dry-run")
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith("row 3, column 'Name':") and "required" in line for line in lines)
    assert any(line.startswith("row 3, column 'Colour':") and "'purple'" in line for line in lines)
    assert any(line.startswith("row 3, column 'Count':") for line in lines)
    assert "Dry run: 2 rows, 1 valid, 4 errors" in out
    assert nothing_written()


def test_a_dry_run_of_a_file_without_the_mappings_columns_lists_every_missing_column(
    cast, mapping, tmp_path
):
    path = tmp_path / "rows.csv"
    path.write_bytes(b"ID,Name\nr1,Ann\n")
    with pytest.raises(CommandError) as caught:
        run_import(KIND, str(path), "--mapping", "Rows", "--dry-run")
    message = str(caught.value)
    # Checked against the file before reading a row: every problem at once, never a repr.
    assert message.startswith("The mapping has 3 problem(s):")
    assert all(
        f"the file has no column '{column}'" in message for column in ("Born", "Colour", "Count")
    )
    assert "Its columns: 'ID', 'Name'." in message
    assert nothing_written()


def test_a_dry_run_after_an_import_counts_the_rows_already_imported(cast, mapping, good_file):
    run_import(KIND, str(good_file), "--mapping", "Rows")
    out, _err, code = run_import(KIND, str(good_file), "--mapping", "Rows", "--dry-run")
    assert code is None
    assert "3 rows, 3 valid, 0 errors, 3 already imported" in out


# --- commit -------------------------------------------------------------------------------


def test_an_import_reports_its_counts_and_writes_one_run_and_the_rows(cast, mapping, good_file):
    out, _err, code = run_import(KIND, str(good_file), "--mapping", "Rows")
    assert code is None
    run = ImportRun.objects.get()
    assert re.search(rf"Import #{run.pk}: 3 rows, 3 created, 0 already imported \(", out)
    assert sorted(created_rows()) == ["Person 1", "Person 2", "Person 3"]
    assert run.status == ImportRun.Status.COMMITTED
    assert run.created_by == cast.documenter and run.mapping == mapping


def test_importing_the_same_file_again_creates_nothing_new(cast, mapping, good_file):
    run_import(KIND, str(good_file), "--mapping", "Rows")
    out, _err, code = run_import(KIND, str(good_file), "--mapping", "Rows")
    assert code is None
    assert "3 rows, 0 created, 3 already imported" in out
    assert len(created_rows()) == 3


def test_an_import_with_bad_rows_lists_them_writes_nothing_and_exits_with_1(
    cast, mapping, tmp_path
):
    path = write_csv(tmp_path / "rows.csv", [HEADER, *good_rows(2), ["z", "forbidden", "", "", ""]])
    out, _err, code = run_import(KIND, str(path), "--mapping", "Rows")
    assert code == 1
    run = ImportRun.objects.get()
    assert "row 4, column 'name': “forbidden” is not allowed" in out
    assert out.rstrip().endswith(f"Import #{run.pk}: 1 errors; nothing was written.")
    assert nothing_written()
    assert run.status != ImportRun.Status.COMMITTED


def test_mode_is_checked_by_the_parser(cast, mapping, good_file):
    with pytest.raises(CommandError, match="invalid choice: 'sometimes'"):
        run_import(KIND, str(good_file), "--mapping", "Rows", "--mode", "sometimes")


def test_a_resumable_import_is_recorded_as_resumable(cast, mapping, good_file):
    run_import(KIND, str(good_file), "--mapping", "Rows", "--mode", "resumable")
    assert ImportRun.objects.get().mode == ImportRun.Mode.RESUMABLE


# --- --save-mapping -------------------------------------------------------------------------------


def test_save_mapping_saves_the_json_under_the_name_then_imports(cast, rows_schema, tmp_path):
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(SPEC), encoding="utf-8")
    path = write_csv(tmp_path / "rows.csv", [HEADER, *good_rows(2)])
    out, _err, code = run_import(
        KIND, str(path), "--mapping", "From file", "--save-mapping", str(spec_path)
    )
    assert code is None and "2 created" in out
    saved = Mapping.objects.get(name="From file")
    assert saved.kind == KIND and saved.file_format == "csv" and saved.spec["key"] == ["ID"]
    assert AuditEntry.objects.filter(action="dataio.mapping.created").count() == 1


def test_save_mapping_with_broken_json_is_refused_and_saves_nothing(cast, rows_schema, tmp_path):
    spec_path = tmp_path / "spec.json"
    spec_path.write_text('{"fields": {', encoding="utf-8")
    path = write_csv(tmp_path / "rows.csv", [HEADER, *good_rows(1)])
    with pytest.raises(CommandError, match="Expecting property name"):
        run_import(KIND, str(path), "--mapping", "Broken", "--save-mapping", str(spec_path))
    assert not Mapping.objects.exists()
    assert nothing_written()


def test_save_mapping_naming_an_unknown_field_is_refused_by_name(cast, rows_schema, tmp_path):
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps({"fields": {"shoe_size": "Shoe"}}), encoding="utf-8")
    path = write_csv(tmp_path / "rows.csv", [HEADER, *good_rows(1)])
    with pytest.raises(CommandError, match="shoe_size"):
        run_import(KIND, str(path), "--mapping", "Shoes", "--save-mapping", str(spec_path))
    assert not Mapping.objects.exists()


def test_save_mapping_nested_too_deep_is_refused_with_its_path(cast, rows_schema, tmp_path):
    spec_path = tmp_path / "deep.json"
    spec_path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    path = write_csv(tmp_path / "rows.csv", [HEADER, *good_rows(1)])
    with pytest.raises(CommandError, match=re.escape(str(spec_path))):
        run_import(KIND, str(path), "--mapping", "Deep", "--save-mapping", str(spec_path))
    assert not Mapping.objects.exists()


def test_save_mapping_replaces_the_spec_of_an_existing_mapping(cast, mapping, tmp_path):
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps({**SPEC, "key": ["ID", "Name"]}), encoding="utf-8")
    path = write_csv(tmp_path / "rows.csv", [HEADER, *good_rows(1)])
    run_import(KIND, str(path), "--mapping", "Rows", "--save-mapping", str(spec_path))
    mapping.refresh_from_db()
    assert mapping.spec["key"] == ["ID", "Name"]
    assert Mapping.objects.count() == 1
    assert AuditEntry.objects.filter(action="dataio.mapping.updated").count() == 1
