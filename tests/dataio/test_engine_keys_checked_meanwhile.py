"""The import engine with ``core.bulk.deferred_keys_checked_meanwhile``: a dangling key written
by a chunk stops the import while it runs, and the whole transaction is rolled back."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from justicework.core.models import Organisation
from justicework.violations.models import Location

pytestmark = pytest.mark.django_db

MISSING = 987654321


def _dangling_location(org: Organisation) -> None:
    """A place whose incident does not exist (the key is deferred: accepted for now)."""
    Location.objects.create(organisation=org, incident_id=MISSING, country="UA")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_import_whose_chunk_left_a_dangling_key_writes_nothing(
    rows_schema: object, cast: object, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine checks the keys while it receives the next chunk: the dangling key written by
    the second chunk stops the import there, and the whole transaction is rolled back."""
    from justicework.audit.models import AuditEntry
    from justicework.dataio import engine
    from justicework.dataio.mapping import MappingSpec

    from .conftest import HEADER, SPEC, RowsSchema, good_rows, write_csv

    acme = cast.acme  # type: ignore[attr-defined]
    path = write_csv(tmp_path / "f.csv", [HEADER, *good_rows(35)])  # type: ignore[operator]
    original = RowsSchema.commit_chunk
    seen: list[int] = []

    def commit_chunk(self: RowsSchema, actor: object, organisation: object, rows: list) -> list:
        seen.append(len(rows))
        if len(seen) == 2:
            _dangling_location(acme)
        return original(self, actor, organisation, rows)

    monkeypatch.setattr(RowsSchema, "commit_chunk", commit_chunk)
    before = AuditEntry.objects.count()
    spec = MappingSpec.from_dict(SPEC, RowsSchema())
    with pytest.raises(IntegrityError, match="incident"):
        engine.commit(RowsSchema(), None, acme, path, "csv", spec, chunk_size=10)
    assert len(seen) == 2  # stopped before the third chunk was written
    assert AuditEntry.objects.count() == before
    assert not Location.objects.exists()
