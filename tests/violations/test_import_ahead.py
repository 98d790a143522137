"""The import's preparing process (``dataio.engine.PREPARE_AHEAD``): reading, parsing and the
new victims' cleaning and blind indexes run in a forked process while the previous chunk is
written. Same stored records and audit entries as the sequential path; a failure there aborts
the import cleanly; it may not query the database."""

from __future__ import annotations

import multiprocessing
import threading
from typing import Any

import pytest

from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.dataio import engine
from justicework.dataio import schema as schemas
from justicework.dataio.models import ImportedRow
from justicework.violations.io import ViolationSchema
from justicework.violations.models import Incident, Person, PersonIndex, Violation

from .test_import import csv_file, row, snapshot, spec

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(),
    reason="the preparing process needs fork()",
)


@pytest.fixture(autouse=True)
def _one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Earlier tests in the same worker may leave threads running (a browser driver, a live
    server): the engine then prepares in turn. These tests are about the forked path."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def _rows() -> list[list[str]]:
    rows = [row(n, case=f"C{n // 3}") for n in range(1, 12)]
    rows.append(row(12, case="C9", Victim="", Sex="", Born=""))  # no new victim
    rows.append(row(13, case="C9", Victim="Mary O'Neil-Smith", When="2021-03-04"))
    return rows


def _stored(organisation: Any) -> dict[str, Any]:
    """What an import stored, without ids, random codes and ciphertexts' nonces."""
    violations = []
    for v in (
        Violation.objects.filter(organisation=organisation)
        .select_related("incident", "location")
        .order_by("pk")
    ):
        role = v.person_roles.first()
        person = role.person if role is not None else None
        violations.append(
            (
                v.incident.title,
                v.type,
                v.start_date,
                v.date_precision,
                v.location.place_name if v.location else None,
                person.full_name if person else None,
                person.sex if person else None,
                person.date_of_birth if person else None,
                sorted(PersonIndex.objects.filter(person=person).values_list("kind", "value"))
                if person
                else None,
            )
        )
    audit = []
    entries = AuditEntry.objects.filter(
        organisation_id=organisation.pk, action__startswith="violations."
    )
    for entry in entries.order_by("pk"):
        diff = {
            k: v
            for k, v in (entry.diff or {}).items()
            if k not in {"code", "victim", "incident", "location", "locations"}
        }
        audit.append((entry.action, entry.object_type, diff))
    return {
        "violations": violations,
        "audit": audit,
        "incidents": Incident.objects.filter(organisation=organisation).count(),
        "keys": ImportedRow.objects.filter(organisation_id=organisation.pk).count(),
    }


@pytest.mark.parametrize("resumable", [False, True])
def test_the_preparing_process_stores_what_the_sequential_path_stores(
    cast, tmp_path, monkeypatch, resumable
):
    path = csv_file(tmp_path, _rows())
    schema = schemas.get("violations")
    monkeypatch.setattr(engine, "PREPARE_AHEAD", False)
    first = engine.commit(
        schema, None, cast.acme, path, "csv", spec(), resumable=resumable, chunk_size=4
    )
    monkeypatch.setattr(engine, "PREPARE_AHEAD", True)
    second = engine.commit(
        schema, None, cast.beacon, path, "csv", spec(), resumable=resumable, chunk_size=4
    )
    assert first.committed and second.committed
    assert (first.rows, first.created) == (second.rows, second.created) == (13, 13)
    sequential, ahead = _stored(cast.acme), _stored(cast.beacon)
    assert ahead == sequential
    assert ahead["violations"][0][5] == "Олена 1"  # decrypted: the same plaintext
    assert verify_chain().ok


def test_bad_rows_found_in_the_preparing_process_are_reported_and_nothing_is_written(
    cast, tmp_path
):
    assert engine.PREPARE_AHEAD
    rows = _rows()
    rows[9] = row(10, case="C3", Act="not-an-act")
    path = csv_file(tmp_path, rows)
    before = snapshot()
    found = []
    outcome = engine.commit(
        schemas.get("violations"),
        cast.documenter,
        cast.acme,
        path,
        "csv",
        spec(),
        on_problem=found.append,
        chunk_size=4,
    )
    assert not outcome.committed
    assert [(p.row, p.column) for p in found] == [(11, "Act")]
    assert snapshot() == before


def _fail_in_second_chunk(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    real = ViolationSchema.prepare_rows
    seen = {"chunks": 0}

    def prepare_rows(self: ViolationSchema, rows: list[Any]) -> None:
        seen["chunks"] += 1  # counted in the child (a forked copy)
        if seen["chunks"] == 2:
            raise error
        real(self, rows)

    monkeypatch.setattr(ViolationSchema, "prepare_rows", prepare_rows)


@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_preparing_process_aborts_and_writes_nothing(cast, tmp_path, monkeypatch):
    path = csv_file(tmp_path, _rows())
    before = snapshot()
    _fail_in_second_chunk(monkeypatch, ValueError("Олена 5 broke it"))
    with pytest.raises(engine.PreparingProcessFailed) as caught:
        engine.commit(
            schemas.get("violations"), cast.documenter, cast.acme, path, "csv", spec(), chunk_size=4
        )
    assert "ValueError" in str(caught.value)
    assert "Олена" not in str(caught.value)  # the type and where, never a cell's value
    assert snapshot() == before
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_preparing_process_keeps_the_written_chunks_of_a_resumable_import(
    cast, tmp_path, monkeypatch
):
    path = csv_file(tmp_path, _rows())
    schema = schemas.get("violations")
    _fail_in_second_chunk(monkeypatch, RuntimeError("bug"))
    with pytest.raises(engine.PreparingProcessFailed):
        engine.commit(
            schema,
            cast.documenter,
            cast.acme,
            path,
            "csv",
            spec(),
            resumable=True,
            validated=True,
            chunk_size=4,
        )
    assert Violation.objects.count() == 4  # the first chunk, complete
    monkeypatch.undo()
    outcome = engine.commit(
        schema, cast.documenter, cast.acme, path, "csv", spec(), resumable=True, chunk_size=4
    )
    assert outcome.created == 9 and outcome.skipped == 4
    assert Violation.objects.count() == 13
    assert Person.objects.count() == 12
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_the_preparing_process_may_not_query_the_database(cast, tmp_path, monkeypatch):
    path = csv_file(tmp_path, _rows())
    before = snapshot()

    def prepare_rows(self: ViolationSchema, rows: list[Any]) -> None:
        Person.objects.count()

    monkeypatch.setattr(ViolationSchema, "prepare_rows", prepare_rows)
    with pytest.raises(engine.PreparingProcessFailed) as caught:
        engine.commit(
            schemas.get("violations"), cast.documenter, cast.acme, path, "csv", spec(), chunk_size=4
        )
    assert "RuntimeError" in str(caught.value)
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_the_collector_is_unfrozen_after_an_import_whether_or_not_it_failed(
    cast, tmp_path, monkeypatch
):
    import gc

    path = csv_file(tmp_path, _rows())
    schema = schemas.get("violations")
    frozen = gc.get_freeze_count()
    engine.commit(schema, cast.documenter, cast.acme, path, "csv", spec(), chunk_size=4)
    assert gc.get_freeze_count() == frozen
    _fail_in_second_chunk(monkeypatch, RuntimeError("bug"))
    with pytest.raises(engine.PreparingProcessFailed):
        engine.commit(schema, None, cast.beacon, path, "csv", spec(), chunk_size=4)
    assert gc.get_freeze_count() == frozen


def test_a_process_running_other_threads_prepares_in_turn_instead_of_forking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from justicework.dataio import engine

    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert engine._fork_context() is not None
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert engine._fork_context() is None
