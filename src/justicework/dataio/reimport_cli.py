"""The command line's list of a dry run's changed rows: one line per changed field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from justicework.core.models import Organisation, User
from justicework.dataio import reimport
from justicework.dataio.mapping import MappingSpec
from justicework.dataio.schema import Schema

#: Changed rows whose diff a dry run prints (all are counted).
SHOWN_CHANGES = 1000


def print_changes(
    write: Callable[[str], object],
    actor: User,
    schema: Schema,
    organisation: Organisation,
    path: Path,
    file_format: str,
    spec: MappingSpec,
    changes: list[reimport.Change],
) -> None:
    """Print the diff of ``changes`` (read again from the file) as ``actor`` may see it:
    ``row 3 changed: Type of act: 'a' → 'b'``; identity fields ``actor`` may not see as
    "changed, hidden"; identities shown are audited (``Schema.identity_shown``)."""
    numbers = {c.number for c in changes}
    rows = list(reimport.read_changes(schema, organisation, path, file_format, spec, numbers))
    for diff in reimport.diff(actor, schema, organisation, spec, rows):
        if diff.missing:
            write(f"row {diff.number} changed: its record is gone or not visible to you")
            continue
        if not diff.fields:
            write(f"row {diff.number} changed: no mapped field differs from the stored record")
        for field in diff.fields:
            if field.hidden:
                shown = "changed, hidden (an identity field: needs need-to-know)"
            else:
                shown = f"{field.old!r} → {field.new!r}"
            write(f"row {diff.number} changed: {field.label}: {shown}")
