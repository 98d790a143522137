"""``violations_personindex`` keeps two indexes besides its key: (organisation, kind, value)
and the unique (person, kind, value). The duplicate look-up names the kinds, so it searches the
first on all three columns (no single-column index on the random HMAC values: each one cost
every import a random write per row)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from justicework.violations import actions


def test_duplicate_check_searches_the_organisation_kind_value_index(cast):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan is stable on a tiny table; PostgreSQL's depends on statistics")
    actions.create_person(
        None, cast.acme, full_name="Олена Петренко", date_of_birth=dt.date(1990, 1, 1)
    )
    with CaptureQueriesContext(connection) as queries:
        found = actions.check_duplicates(None, cast.acme, name="Олена Петренко", dob="1990-01-01")
    assert len(found.codes) == 1
    sql = next(q["sql"] for q in queries.captured_queries if "violations_personindex" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "SEARCH violations_personindex USING INDEX" in plan
    assert "(organisation_id=? AND kind=? AND value=?)" in plan


def test_the_blind_index_table_has_no_single_column_indexes(cast):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "violations_personindex")
    indexed = sorted(
        tuple(c["columns"])
        for c in constraints.values()
        if (c["index"] or c["unique"]) and not c["primary_key"]
    )
    assert indexed == [("organisation_id", "kind", "value"), ("person_id", "kind", "value")]
