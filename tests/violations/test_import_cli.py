"""`justicework import violations ...`: allow and deny, dry run, commit, re-run."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from justicework.audit.models import AuditEntry
from justicework.dataio.models import ImportRun
from justicework.violations.models import Violation

from .test_import import MAPPING, csv_file, row


def run(*args):
    out = io.StringIO()
    err = io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def mapping_file(tmp_path):
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(MAPPING))
    return path


@pytest.fixture
def saved(cast):
    from justicework.dataio import actions

    return actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip


def base(cast, path, *extra):
    return ["import", "violations", str(path), "--organisation", cast.acme.slug, *extra]


def test_documenter_imports_with_a_saved_mapping_and_a_rerun_adds_nothing(
    cast, tmp_path, mapping_file
):
    path = csv_file(tmp_path, [row(1), row(2), row(3)])
    args = base(cast, path, "--as", cast.documenter.email, "--mapping", "Survey")
    out = run(*args, "--save-mapping", str(mapping_file))
    assert "3 created" in out
    assert Violation.objects.count() == 3
    assert "0 created, 3 already imported" in run(*args)
    assert Violation.objects.count() == 3
    assert path.exists()  # the user's own file is left in place
    assert ImportRun.objects.filter(status=ImportRun.Status.COMMITTED).count() == 2


def test_dry_run_prints_every_bad_row_and_writes_nothing(cast, tmp_path, saved):
    path = csv_file(tmp_path, [row(1), row(2, Act="nope"), row(3, When="2023-13-01")])
    args = base(cast, path, "--as", cast.documenter.email, "--mapping", "Survey")
    before = (AuditEntry.objects.count(), ImportRun.objects.count(), Violation.objects.count())
    with pytest.raises(SystemExit) as exit_info:
        out = io.StringIO()
        call_command(*args, "--dry-run", stdout=out, stderr=io.StringIO())
    assert exit_info.value.code == 1
    text = out.getvalue()
    assert "row 3, column 'Act': 'nope' is not a known type of act term" in text
    assert "row 4, column 'When'" in text
    assert "Nothing was written." in text
    assert (
        AuditEntry.objects.count(),
        ImportRun.objects.count(),
        Violation.objects.count(),
    ) == before


def test_a_bad_file_commits_nothing_and_exits_nonzero(cast, tmp_path, mapping_file):
    path = csv_file(tmp_path, [row(1), row(2, Act="nope")])
    args = base(cast, path, "--as", cast.documenter.email, "--mapping", "Survey")
    with pytest.raises(SystemExit):
        call_command(
            *args, "--save-mapping", str(mapping_file), stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert Violation.objects.count() == 0


def test_viewer_cannot_import(cast, tmp_path, mapping_file):
    path = csv_file(tmp_path, [row(1)])
    with pytest.raises(CommandError, match="Not allowed"):
        run(*base(cast, path, "--as", cast.viewer.email, "--mapping", "S"),
            "--save-mapping", str(mapping_file))  # fmt: skip
    assert Violation.objects.count() == 0


def test_outsider_cannot_use_acmes_mapping(cast, tmp_path, saved):
    path = csv_file(tmp_path, [row(1)])
    with pytest.raises(CommandError):
        run(*base(cast, path, "--as", cast.outsider.email, "--mapping", "Survey"))
    assert Violation.objects.count() == 0


def test_unknown_user_and_organisation_are_named(cast, tmp_path):
    path = csv_file(tmp_path, [row(1)])
    with pytest.raises(CommandError, match="No active user"):
        run(*base(cast, path, "--as", "nobody@x.test", "--mapping", "S"))
    with pytest.raises(CommandError, match="No active organisation"):
        run("import", "violations", str(path), "--organisation", "nope", "--as",
            cast.documenter.email, "--mapping", "S")  # fmt: skip


def test_the_organisation_defaults_to_the_users_only_one(cast, tmp_path, saved):
    path = csv_file(tmp_path, [row(1)])
    out = run("import", "violations", str(path), "--as", cast.documenter.email, "--mapping",
              "Survey")  # fmt: skip
    assert "1 created" in out
    with pytest.raises(CommandError, match="Give --organisation"):
        run("import", "violations", str(path), "--as", cast.loner.email, "--mapping", "Survey")
