"""Models and migrations agree: `makemigrations --check` finds nothing to write (STYLE 12)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"makemigrations --check found missing migrations:\n{out.getvalue()}")
        raise AssertionError from exc


def test_the_system_check_finds_nothing_on_this_database() -> None:
    """Nothing declared that the engine cannot build (a covering index on SQLite warns)."""
    from django.core import checks

    messages = checks.run_checks(databases=["default"])
    assert [m for m in messages if m.level >= checks.WARNING] == []


@pytest.mark.django_db
def test_indexes_the_migrations_leave() -> None:
    """The foreign-key indexes covered by composites are gone, the partial unique index on the
    victim link stayed, and (PostgreSQL) the incidents' covering visibility index exists."""
    from django.db import connection

    with connection.cursor() as cursor:
        tables = ["violations_personrole", "violations_violation", "violations_incident"]
        names = {
            index
            for table in tables
            for index in connection.introspection.get_constraints(cursor, table)
        }
    assert "one_victim_per_violation" in names
    assert "violations_personrole_violation_id_aca08f31" not in names
    assert "violations_violation_organisation_id_ac472b69" not in names
    assert ("incident_visibility" in names) == (connection.vendor == "postgresql")
