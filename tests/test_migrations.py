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


@pytest.mark.django_db
def test_audit_and_victim_group_indexes() -> None:
    """The audit log is indexed for what reads it (organisation and sequence, object, hash) and
    no longer by action nor for LIKE; violations are indexed by victim group only where set."""
    from django.db import connection

    with connection.cursor() as cursor:
        audit = connection.introspection.get_constraints(cursor, "audit_auditentry")
        violation = connection.introspection.get_constraints(cursor, "violations_violation")
    assert audit["audit_org_seq"]["columns"] == ["organisation_id", "seq"]
    unwanted = {
        "audit_auditentry_action_dee621eb",
        "audit_auditentry_action_dee621eb_like",
        "audit_auditentry_hash_718ebbcd_like",
        "audit_auditentry_organisation_id_de6bc33b",
    }
    assert unwanted.isdisjoint(audit)
    assert any(c["unique"] and c["columns"] == ["hash"] for c in audit.values())
    assert any(c["unique"] and c["columns"] == ["seq"] for c in audit.values())
    assert violation["violation_victim_group"]["columns"] == ["victim_group_id"]
    assert "violations_violation_victim_group_id_8e5aae4a" not in violation


@pytest.mark.django_db
def test_a_victim_groups_violations_are_found_through_the_partial_index() -> None:
    """``victim_group = X`` implies ``IS NOT NULL``: both engines use the partial index."""
    from django.db import connection

    from justicework.violations.models import Violation

    sql, params = Violation.objects.filter(victim_group_id=1).only("id").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "violation_victim_group" in plan
