"""Making and sharing derivatives (docs/evidence.md, "Derivatives").

``make_derivatives`` runs without a person (the task worker after intake, or the
``evidence derive`` command): it reads the original read-only, stores each derivative
content-addressed beside it and writes one row per kind, audited. ``share_stripped_copy`` is a
person downloading the metadata-stripped copy of an item: a custody entry "shared" on the item
and an audit entry.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.db import transaction

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.actors import Actor
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.derivatives import make
from justicework.evidence.models import CustodyEntry, Derivative, Item, Original
from justicework.evidence.storage import store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What ``make_derivatives`` did for one original."""

    made: list[Derivative]
    problem: str = ""  # why none could be made (undecodable, missing file), else empty
    skipped: bool = False  # a type that gets no derivatives, or made already


def _keep(original: Original, made: make.Made) -> Derivative:
    sha256 = hashlib.sha256(made.data).hexdigest()
    store().put_derivative(sha256, made.data)
    row, _created = Derivative.objects.update_or_create(
        original=original, kind=made.kind,
        defaults={
            "sha256": sha256, "size": len(made.data), "media_type": made.media_type,
            "storage_key": store().derivative_key(sha256), "tool": made.tool,
            "tool_version": made.tool_version,
        },
    )  # fmt: skip
    return row


def make_derivatives(original: Original, *, again: bool = False) -> Outcome:
    """Make ``original``'s derivatives (``again``: even when it has them). The files are stored
    before the rows are written, in one transaction with the audit entry, so a row never points
    at a missing file."""
    if not make.derivable(original.media_type):
        return Outcome([], skipped=True)
    if not again and original.derivatives.exists():
        return Outcome([], skipped=True)
    try:
        with store().open(original.sha256) as stream:
            produced = make.make(original.media_type, stream)
    except FileNotFoundError:
        return Outcome([], problem="the original's file is missing")
    except make.NotDerivable as exc:
        return Outcome([], problem=str(exc).replace(str(store().root), "…")[:300])
    with transaction.atomic():
        rows = [_keep(original, made) for made in produced]
        record(
            None,
            "evidence.derivative.made",
            original,
            diff={"sha256": original.sha256,
                  "derivatives": {row.kind: row.sha256 for row in rows}},
        )  # fmt: skip
    return Outcome(rows)


@transaction.atomic
def share_stripped_copy(actor: Actor, item: Item) -> Derivative:
    """``actor`` takes the metadata-stripped copy of ``item`` to share it: allowed by the
    policy (``share`` on the item), recorded as custody entry "shared" (the copy's SHA-256 and
    the original's) and in the audit log. ``Derivative.DoesNotExist`` when there is none."""
    policy.require(actor, "share", item)
    copy = Derivative.objects.get(original_id=item.original_id, kind=Derivative.Kind.STRIPPED)
    append_custody(
        actor,
        item,
        CustodyEntry.Event.SHARED,
        {"derivative": copy.pk, "sha256": copy.sha256, "original_sha256": item.original.sha256},
    )
    return copy
