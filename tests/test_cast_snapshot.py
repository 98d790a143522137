"""The replayed cast is the built cast, row for row (tests/cast_snapshot.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import transaction

from justicework.audit.verify import verify_chain
from tests import cast_snapshot
from tests.conftest import build_cast


def _state() -> dict[str, object]:
    return {
        name: sorted(map(repr, rows.values()))
        for name, (_columns, _key, rows) in cast_snapshot._contents(cast_snapshot._tables()).items()
    }


def _recorded_build() -> tuple[SimpleNamespace, cast_snapshot._Snapshot]:
    """A cast built and recorded inside a savepoint, then rolled back: the built cast and its
    snapshot."""
    cast_snapshot._snapshots.clear()
    sid = transaction.savepoint()
    built = cast_snapshot.cast(build_cast)
    transaction.savepoint_rollback(sid)
    return built, cast_snapshot._snapshots["default"]


@pytest.mark.django_db
@pytest.mark.parametrize("indexed_before", [False, True])
def test_replay_stores_the_same_rows_as_a_build(indexed_before: bool) -> None:
    if indexed_before:  # a document left where the build's first organisation will be indexed
        from django.db.models import Max

        from justicework.core.models import Organisation
        from justicework.search import api as search

        after = (Organisation.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        search.index_many(Organisation, [Organisation(pk=after, name="Left over", slug="left")])
    cast_snapshot._snapshots.clear()
    sid = transaction.savepoint()
    built = cast_snapshot.cast(build_cast)
    after_build = _state()
    transaction.savepoint_rollback(sid)
    assert cast_snapshot._snapshots, "a build inside a transaction is recorded"

    replayed = cast_snapshot.cast(build_cast)

    assert _state() == after_build
    assert replayed.acme.pk == built.acme.pk and replayed.admin.email == built.admin.email
    assert replayed.admin.memberships.get().organisation == replayed.acme
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_different_base_builds_for_real() -> None:
    _built, recorded = _recorded_build()
    from tests.conftest import make_org

    make_org("Elsewhere")  # moves the audit head and the organisations' ids
    assert not cast_snapshot._matches(recorded)
    made = cast_snapshot.cast(build_cast)

    assert cast_snapshot._snapshots["default"] is not recorded
    assert made.acme.pk > 0 and verify_chain().ok


@pytest.mark.django_db
def test_a_changed_full_text_index_is_seen() -> None:
    from justicework.core.models import Organisation
    from justicework.search import api as search

    _built, recorded = _recorded_build()
    assert cast_snapshot._matches(recorded)
    elsewhere = Organisation(pk=recorded.organisations["acme"], name="Kharkiv shelling", slug="x")
    search.index_many(Organisation, [elsewhere])  # the index alone changes

    assert not cast_snapshot._matches(recorded)


@pytest.mark.django_db
def test_a_sequence_set_back_is_moved_past_the_replayed_keys(on_postgres) -> None:
    if not on_postgres:
        pytest.skip("SQLite's keys follow the rows (sqlite_sequence is rolled back)")
    from django.db import connection

    built, _recorded = _recorded_build()
    with connection.cursor() as cursor:  # as a restore's reset of the sequences does
        cursor.execute("SELECT setval(pg_get_serial_sequence('core_user', 'id'), 1)")

    cast_snapshot.cast(build_cast)
    from tests.conftest import make_user

    assert make_user("after@acme.test").pk > built.superuser.pk
