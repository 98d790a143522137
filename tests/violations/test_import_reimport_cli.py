"""`justicework import violations ... --dry-run` on a corrected release lists new, unchanged
and changed rows with each changed field; `--update` applies them (audited, all or nothing)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError

from justicework.audit.models import AuditEntry
from justicework.violations import actions
from justicework.violations.models import Person, Violation

from .test_import import csv_file, row
from .test_import_cli import base, run
from .test_import_cli import saved as saved  # the saved mapping fixture


def first_import(cast, tmp_path):
    path = csv_file(tmp_path, [row(1), row(2)], "first.csv")
    assert "2 created" in run(
        *base(cast, path, "--as", cast.documenter.email, "--mapping", "Survey")
    )


def test_dry_run_lists_counts_and_each_changed_field(cast, tmp_path, saved):
    first_import(cast, tmp_path)
    path = csv_file(tmp_path, [row(1), row(2, Act="torture"), row(3)], "corrected.csv")
    out = run(*base(cast, path, "--as", cast.documenter.email, "--mapping", "Survey", "--dry-run"))
    assert "2 already imported (1 unchanged, 1 changed), 1 new" in out
    assert "row 3 changed: Type of act: 'Killing in an indiscriminate" in out
    assert "→ 'Torture (torture)'" in out
    assert "Apply the changes with --update." in out
    assert Violation.objects.filter(type="torture").count() == 0


def test_dry_run_hides_identity_changes_from_whom_may_not_see_them(cast, tmp_path, saved):
    first_import(cast, tmp_path)
    path = csv_file(tmp_path, [row(1, Victim="Олена Петрівна"), row(2)], "corrected.csv")
    args = base(cast, path, "--as", cast.documenter.email, "--mapping", "Survey", "--dry-run")
    out = run(*args)
    assert "Victim name (encrypted): changed, hidden" in out and "Олена" not in out
    person = Violation.objects.order_by("pk").first().person_roles.get().person
    actions.grant_need_to_know(cast.admin, cast.documenter, person, reason="release check")
    out = run(*args)
    assert "'Олена 1' → 'Олена Петрівна'" in out
    assert AuditEntry.objects.filter(
        action="violations.person.identity_revealed", object_id=str(person.pk)
    ).exists()


def test_update_imports_new_rows_and_applies_the_changed_ones(cast, tmp_path, saved):
    first_import(cast, tmp_path)
    path = csv_file(tmp_path, [row(1, Act="torture"), row(2), row(3)], "corrected.csv")
    args = base(cast, path, "--as", cast.documenter.email, "--mapping", "Survey", "--update",
                "--reason", "release 2")  # fmt: skip
    out = run(*args)
    assert "1 created, 2 already imported" in out and "1 changed rows applied" in out
    assert sorted(Violation.objects.values_list("type", flat=True)) == [
        "killing_in_attack", "killing_in_attack", "torture"
    ]  # fmt: skip
    entry = AuditEntry.objects.get(action="violations.violation.updated")
    assert entry.diff == {"type": ["killing_in_attack", "torture"]}
    assert AuditEntry.objects.get(action="dataio.run.changes_applied").diff["reason"] == "release 2"
    assert "0 changed rows applied" in run(*args)


def test_without_update_changed_rows_are_left_as_they_are(cast, tmp_path, saved):
    first_import(cast, tmp_path)
    path = csv_file(tmp_path, [row(1, Act="torture"), row(2)], "corrected.csv")
    run(*base(cast, path, "--as", cast.documenter.email, "--mapping", "Survey"))
    assert not Violation.objects.filter(type="torture").exists()


def test_update_and_dry_run_together_are_refused(cast, tmp_path, saved):
    path = csv_file(tmp_path, [row(1)])
    with pytest.raises(CommandError, match="Give one of the two"):
        run(*base(cast, path, "--as", cast.documenter.email, "--mapping", "Survey",
                  "--dry-run", "--update"))  # fmt: skip


def test_update_of_a_hidden_identity_is_refused_and_changes_nothing(cast, tmp_path, saved):
    first_import(cast, tmp_path)
    path = csv_file(tmp_path, [row(1, Victim="Олена Петрівна", Act="torture"), row(2)], "c.csv")
    with pytest.raises(CommandError, match="Row 2"):
        run(*base(cast, path, "--as", cast.documenter.email, "--mapping", "Survey", "--update"))
    assert not Violation.objects.filter(type="torture").exists()
    assert Person.objects.count() == 2
