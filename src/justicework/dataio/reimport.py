"""Re-imports that update: which rows of a file already imported are unchanged or changed, and
what changed, field by field, against the stored records.

A row's stable key says it was imported before (``ImportedRow``); its content hash
(``mapping.content_hash`` of the mapped values, stored with the key) says whether the file's
values are the ones imported. Rows imported before content hashes existed (an empty hash) are
compared with the stored records instead (``Schema.stored_values``): any difference, a manual
edit since the import included, counts as a change.

The diff is generic over the mapping's fields: every mapped field the schema reads back is
compared, so a field added to a schema is covered as soon as its ``stored_values`` reads it.
Identity fields are compared for everyone but shown only to whom the schema allows
(``may_see_identity``; the showing is audited through ``identity_shown``); others see
"changed, hidden". Nothing here writes but the dry run's list of changed rows on its run
(``keep_changes``: row numbers, keys and records, no value); applying is ``dataio.updates``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from justicework.core.actors import Requester
from justicework.core.models import Organisation, User
from justicework.dataio.mapping import MappingSpec
from justicework.dataio.models import ImportedRow, ImportRun, RowChange
from justicework.dataio.opening import open_run, read_chunks
from justicework.dataio.outcome import Outcome
from justicework.dataio.schema import ParsedRow, Schema, StoredRow

#: Changed rows kept on an outcome (and stored on a run); all are counted.
MAX_CHANGES = 10_000


@dataclass
class Change:
    """A row of the file imported before whose values differ from what was imported."""

    number: int
    key_hash: str
    object_id: str
    #: The stored content hash ('' : imported before content hashes).
    stored_hash: str
    #: The parsed row, when the caller asked to keep it (a diff or an apply).
    row: ParsedRow | None = None


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    old: str
    new: str
    #: An identity field the user may not see: "changed, hidden", no values.
    hidden: bool = False


@dataclass
class RowDiff:
    number: int
    object_id: str
    fields: list[FieldDiff] = field(default_factory=list)
    #: The record is gone, or the user may not see it.
    missing: bool = False


def _blank(value: Any) -> bool:
    return value is None or value == "" or value is False or value == [] or value == {}


def same(old: Any, new: Any) -> bool:
    """Whether a stored value and a row's value are the same (an empty cell equals an empty
    or false stored value)."""
    if _blank(old) and _blank(new):
        return True
    return bool(old == new)


def differing(
    schema: Schema, spec: MappingSpec, stored: StoredRow, values: dict[str, Any]
) -> list[str]:
    """The mapped fields whose row value (as the schema stores it: ``Schema.row_value``)
    differs from the stored record's, in mapping order; fields the schema does not read back
    are left out."""
    return [
        name
        for name in spec.fields
        if name in stored.values and not same(stored.values[name], schema.row_value(name, values))
    ]


def classify(
    schema: Schema,
    organisation: Organisation,
    spec: MappingSpec,
    rows: list[ParsedRow],
    *,
    keep_rows: bool = False,
) -> tuple[set[str], list[Change]]:
    """The key hashes of ``rows`` imported before, and those of them that changed. One query
    for the keys; the stored records are read only for rows without a content hash."""
    if not rows:
        return set(), []
    stored = {
        key: (object_id, content)
        for key, object_id, content in ImportedRow.objects.filter(
            organisation=organisation, kind=schema.kind, key_hash__in=[r.key_hash for r in rows]
        ).values_list("key_hash", "object_id", "content_hash")
    }
    changes: list[Change] = []
    legacy: list[Change] = []
    for row in rows:
        found = stored.get(row.key_hash)
        if found is None or found[1] == row.content_hash:
            continue
        change = Change(row.number, row.key_hash, found[0], found[1], row)
        (changes if found[1] else legacy).append(change)
    if legacy:
        records = schema.stored_values(organisation, [c.object_id for c in legacy])
        for change in legacy:
            record = records.get(change.object_id)
            assert change.row is not None
            if record is None or differing(schema, spec, record, change.row.values):
                changes.append(change)
        changes.sort(key=lambda c: c.number)
    if not keep_rows:
        for change in changes:
            change.row = None
    return set(stored), changes


def count(outcome: Outcome, existing: int, changes: list[Change]) -> None:
    """Add a chunk's rows imported before and its changed rows to ``outcome``."""
    outcome.already_imported += existing
    outcome.changed += len(changes)
    room = max(0, MAX_CHANGES - len(outcome.changes))
    outcome.changes.extend(changes[:room])


def keep_changes(run: ImportRun, changes: list[Change]) -> None:
    """Store a dry run's changed rows on ``run`` (replacing earlier ones)."""
    RowChange.objects.filter(run=run).delete()
    RowChange.objects.bulk_create(
        [
            RowChange(
                run=run,
                row=c.number,
                key_hash=c.key_hash,
                object_id=c.object_id[:64],
                stored_hash=c.stored_hash,
            )
            for c in changes
        ],
        batch_size=1000,
    )


def read_changes(
    schema: Schema,
    organisation: Organisation,
    path: Path,
    file_format: str,
    spec: MappingSpec,
    numbers: set[int] | None = None,
    chunk_size: int = 2000,
) -> Iterator[Change]:
    """The changed rows of the file (only ``numbers`` if given), each with its parsed row.
    Reads the whole file in this process; rows with problems are passed over (the dry run
    reported them)."""
    outcome = Outcome()
    opened = open_run(schema, organisation, path, file_format, spec, outcome)
    if opened is None:
        return
    source, mapper = opened
    for good, _problems, _count in read_chunks(source, mapper, chunk_size):
        wanted = good if numbers is None else [r for r in good if r.number in numbers]
        yield from classify(schema, organisation, mapper.spec, wanted, keep_rows=True)[1]


def diff(
    user: Requester,
    schema: Schema,
    organisation: Organisation,
    spec: MappingSpec,
    changes: list[Change],
    *,
    audit: bool = True,
) -> list[RowDiff]:
    """The field-by-field diff of ``changes`` (with their rows) against the stored records.
    Identity fields the user may not see are "changed, hidden"; showing the others is audited
    (``Schema.identity_shown``) unless ``audit`` is false (nothing is shown: an apply)."""
    ids = [c.object_id for c in changes]
    records = schema.stored_values(organisation, ids, user)
    may_see = schema.may_see_identity(user, organisation, ids)
    labels = {f.name: str(f.label) for f in schema.fields}
    result: list[RowDiff] = []
    shown: list[str] = []
    for change in changes:
        record = records.get(change.object_id)
        row_diff = RowDiff(change.number, change.object_id, missing=record is None)
        result.append(row_diff)
        if record is None or change.row is None:
            continue
        values = change.row.values
        for name in differing(schema, spec, record, values):
            if name in record.identity and change.object_id not in may_see:
                row_diff.fields.append(FieldDiff(name, labels.get(name, name), "", "", True))
                continue
            if name in record.identity:
                shown.append(change.object_id)
            old = schema.display_value(name, record.values[name])
            new = schema.display_value(name, schema.row_value(name, values))
            row_diff.fields.append(FieldDiff(name, labels.get(name, name), old, new))
    if shown and audit and isinstance(user, User):
        schema.identity_shown(user, organisation, sorted(set(shown)))
    return result
