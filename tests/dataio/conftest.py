"""A tiny row schema for testing the generic import layer without any domain app.

Its ``commit_chunk`` writes one audit entry per row (a real, counted, transactional write), so
atomicity, resumption and idempotency can be observed.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from justicework.audit.chain import Event, record_many
from justicework.audit.models import AuditEntry
from justicework.dataio import parsers
from justicework.dataio import schema as schemas
from justicework.dataio.schema import Field, ParsedRow, RowProblem, Schema

KIND = "testrows"


class RowsSchema(Schema):
    kind = KIND
    label = "Test rows"
    fields = (
        Field("name", "Name", parsers.text(50), required=True),
        Field("born", "Born", parsers.date(("%d/%m/%Y",))),
        Field("colour", "Colour", parsers.choice({"red": "red", "green": "green", "rouge": "red"})),
        Field("count", "Count", parsers.integer(0, 1000)),
    )
    #: chunk number (1-based) at which commit_chunk raises, to simulate a crash
    fail_at_chunk: int | None = None
    chunks_committed = 0

    def check_chunk(self, organisation, rows: list[ParsedRow]) -> list[RowProblem]:
        return [
            RowProblem(r.number, "name", "“forbidden” is not allowed")
            for r in rows
            if r.values["name"] == "forbidden"
        ]

    def commit_chunk(self, actor, organisation, rows: list[ParsedRow]) -> list[str]:
        type(self).chunks_committed += 1
        if self.fail_at_chunk is not None and type(self).chunks_committed == self.fail_at_chunk:
            raise RuntimeError("simulated crash")
        record_many(
            [
                Event(
                    action="testrows.row.created",
                    actor=actor,
                    organisation_id=organisation.pk,
                    object_type="tests.row",
                    object_id=r.key_hash[:12],
                    diff={"name": r.values["name"]},
                )
                for r in rows
            ]
        )
        return [r.key_hash[:12] for r in rows]


@pytest.fixture
def rows_schema():
    RowsSchema.fail_at_chunk = None
    RowsSchema.chunks_committed = 0
    schemas.register(KIND, RowsSchema)
    yield RowsSchema
    schemas.unregister(KIND)
    RowsSchema.fail_at_chunk = None


def created_rows() -> list[str]:
    return list(
        AuditEntry.objects.filter(action="testrows.row.created").values_list(
            "diff__name", flat=True
        )
    )


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


HEADER = ["ID", "Name", "Born", "Colour", "Count"]
SPEC = {
    "fields": {"name": "Name", "born": "Born", "colour": "Colour", "count": "Count"},
    "key": ["ID"],
}


def good_rows(n: int, start: int = 1) -> list[list[str]]:
    return [
        [f"r{i}", f"Person {i}", "2001-02-03", "red" if i % 2 else "green", str(i % 1000)]
        for i in range(start, start + n)
    ]


from tests.web.conftest import login as login  # noqa: E402  # the signed-in client fixture
