"""Writing an import's chunks: the schema's records and the rows' keys (``ImportedRow``) in the
caller's transaction, with the collector paused, a larger SQLite page cache for the run and, on
PostgreSQL, the foreign keys checked while the next chunk arrives."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection

from justicework.core.actors import Actor
from justicework.core.bulk import deferred_keys_checked_meanwhile, insert_rows, writes
from justicework.core.models import Organisation
from justicework.dataio.ahead import Chunk
from justicework.dataio.checks import existing_keys
from justicework.dataio.models import ImportedRow, ImportRun
from justicework.dataio.outcome import Outcome
from justicework.dataio.schema import ParsedRow, Schema

writes(ImportedRow)  # the row keys of an import (core.bulk.insert_rows)

#: SQLite page cache of the connection during an import, in KiB (SQLite's default is 2 MB).
#: The blind-index and audit tables are indexed on random values (HMACs, hashes): once their
#: indexes outgrow the cache, every insert reads pages back (docs/benchmarks.md).
SQLITE_IMPORT_CACHE_KIB = 32 * 1024


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic cyclic garbage collection while a chunk is written, one young collection
    after. A chunk allocates tens of thousands of objects freed by reference counting, and the
    collector's full passes walk the whole heap (docs/benchmarks.md). Memory stays bounded:
    garbage lives at most one chunk."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)


def write_chunk(
    schema: Schema,
    actor: Actor,
    organisation: Organisation,
    good: list[ParsedRow],
    run: ImportRun | None,
    outcome: Outcome,
) -> None:
    """Write the rows whose keys are new; count the others as skipped. Caller's transaction."""
    with collector_paused():
        existing = existing_keys(organisation, schema.kind, good)
        fresh = [r for r in good if r.key_hash not in existing]
        if fresh:
            ids = schema.commit_chunk(actor, organisation, fresh)
            if len(ids) != len(fresh):
                raise RuntimeError(
                    f"{type(schema).__name__}.commit_chunk returned {len(ids)} ids "
                    f"for {len(fresh)} rows"
                )
            run_id = run.pk if run is not None else None
            insert_rows(
                ImportedRow,
                ["organisation_id", "kind", "key_hash", "object_id", "run_id", "content_hash"],
                [
                    (
                        organisation.pk,
                        schema.kind,
                        row.key_hash,
                        str(object_id),
                        run_id,
                        row.content_hash,
                    )
                    for row, object_id in zip(fresh, ids, strict=True)
                ],
            )
        outcome.created += len(fresh)
        outcome.skipped += len(existing)
        outcome.already_imported += len(existing)


@contextmanager
def import_page_cache() -> Iterator[None]:
    """A larger SQLite page cache for the import's connection, restored after (other
    databases: nothing)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_IMPORT_CACHE_KIB)}")
    try:
        yield
    finally:
        if connection.connection is not None:  # still open: give the memory back
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {before}")


def keys_checked_ahead(chunks: Iterable[Chunk]) -> Iterator[Chunk]:
    """``chunks``, each one received (and unpickled) while PostgreSQL checks the foreign keys
    of the rows written so far (``core.bulk.deferred_keys_checked_meanwhile``): the commit at
    the end has less left to check."""
    iterator = iter(chunks)
    while True:
        with deferred_keys_checked_meanwhile():
            chunk = next(iterator, None)
        if chunk is None:
            return
        yield chunk
