"""Applying a re-import's changes (the action), keeping the dry run's changed rows on its run,
and the diff a run page shows.

The dry run of a file already imported stores its changed rows (``RowChange``: row number, key
and record, no value). The diff is read from the file and the stored records when it is shown
(``dataio.reimport``). Applying writes the chosen rows through the schema's update actions
(``Schema.update_rows``: audited updates with the old values) in one transaction, and stores
the rows' new content hashes with their keys: all or nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.actors import Requester
from justicework.core.models import User
from justicework.dataio import reimport, runs
from justicework.dataio import schema as schemas
from justicework.dataio.mapping import MappingSpec
from justicework.dataio.models import ImportedRow, ImportRun, RowChange

#: Changed rows whose diff a run page shows.
SHOWN_CHANGES = 200


@dataclass(frozen=True)
class RowUpdate:
    """One row's changes for ``Schema.update_rows``: its record, its number in the file and
    ``{field: new value}`` (as ``Schema.row_value`` gives it)."""

    object_id: str
    number: int
    values: dict[str, Any]


def _ready(run: ImportRun) -> tuple[schemas.Schema, MappingSpec]:
    """The schema and mapping of a run whose changes can be read: checked without problems
    with its mapping as it is now (or imported from a file read in place), its file intact."""
    spec = runs.spec_of(run)
    checked = run.status == ImportRun.Status.VALID and run.validated_spec == spec.to_dict()
    in_place = run.status == ImportRun.Status.COMMITTED
    if not (checked or in_place):
        raise ValidationError(
            {"status": _("Check the file first: changes are applied after a clean check.")}
        )
    if not runs.file_intact(run):
        raise ValidationError(
            {"file": _("The uploaded file is gone (imported or removed): upload it again.")}
        )
    return schemas.get(run.kind), spec


def _pending(run: ImportRun, rows: Collection[int] | None) -> set[int] | None:
    """The row numbers to read: the run's pending changed rows (of ``rows`` if given), or
    ``None`` for every changed row (a run imported in place, whose dry run was not kept)."""
    if run.status == ImportRun.Status.COMMITTED and rows is None:
        return None
    pending = RowChange.objects.filter(run=run, applied=False)
    if rows is not None:
        pending = pending.filter(row__in=sorted(rows))
    return set(pending.values_list("row", flat=True))


def run_diff(user: Requester, run: ImportRun, limit: int = SHOWN_CHANGES) -> list[reimport.RowDiff]:
    """The diff of the run's first ``limit`` pending changed rows, as ``user`` may see it
    (identities shown are audited)."""
    policy.require(user, "view", run)
    schema, spec = _ready(run)
    numbers = set(
        RowChange.objects.filter(run=run, applied=False).values_list("row", flat=True)[:limit]
    )
    if not numbers:
        return []
    changes = list(
        reimport.read_changes(
            schema, run.organisation, Path(run.stored_path), run.file_format, spec, numbers
        )
    )
    return reimport.diff(user, schema, run.organisation, spec, changes)


def apply_changes(
    actor: User, run: ImportRun, rows: Collection[int] | None = None, reason: str = ""
) -> int:
    """Write the changed rows ``rows`` (row numbers; ``None``: all) of the run's file through
    the schema's update actions, all or nothing; returns how many rows were applied. Needs
    the run's ``apply_changes`` (IMPORT, creating and editing the records). Audited as
    ``dataio.run.changes_applied``; each record's update has its own entry with old values."""
    policy.require(actor, "apply_changes", run)
    schema, spec = _ready(run)
    numbers = _pending(run, rows)
    if numbers is not None and not numbers:
        raise ValidationError({"rows": _("No changed row is chosen.")})
    reason = (reason or "").strip() or _("Corrected release of %(file)s (import #%(run)s)") % {
        "file": run.filename,
        "run": run.pk,
    }
    with transaction.atomic():
        changes = list(
            reimport.read_changes(
                schema, run.organisation, Path(run.stored_path), run.file_format, spec, numbers
            )
        )
        stored = schema.stored_values(run.organisation, [c.object_id for c in changes])
        updates = []
        for change in changes:
            assert change.row is not None
            found = stored.get(change.object_id)
            if found is None:
                raise ValidationError(
                    _("Row %(row)s: its record no longer exists; untick the row.")
                    % {"row": change.number}
                )
            names = reimport.differing(schema, spec, found, change.row.values)
            values = {name: schema.row_value(name, change.row.values) for name in names}
            updates.append(RowUpdate(change.object_id, change.number, values))
        schema.update_rows(actor, run.organisation, [u for u in updates if u.values], reason)
        for change in changes:
            assert change.row is not None
            ImportedRow.objects.filter(
                organisation=run.organisation, kind=run.kind, key_hash=change.key_hash
            ).update(content_hash=change.row.content_hash)
        RowChange.objects.filter(run=run, row__in=[c.number for c in changes]).update(applied=True)
        record(
            actor,
            "dataio.run.changes_applied",
            run,
            diff={
                "rows": len(changes),
                "records_changed": sum(1 for u in updates if u.values),
                "reason": reason,
            },
        )
    return len(changes)
