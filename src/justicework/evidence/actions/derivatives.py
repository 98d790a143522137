"""Making and sharing derivatives (docs/evidence.md, "Derivatives").

``make_derivatives`` runs without a person (the task worker after intake, or the
``evidence derive`` command): it reads the original's plaintext (``open_original``, on either
backend, decrypted when sealed), stores each derivative content-addressed beside it (sealed under
the same organisation's key when the original is: ``storage.derived``) and writes one row per
kind, audited, with the reasons for any kind not made (``not_made``: a PDF that is damaged or
protected by a password gets no derivative at all, and that is recorded too, for its page to
say why). A file a derivative made again replaces is removed once no row points at it.
``share_stripped_copy`` is a person downloading the metadata-stripped copy of an item: a custody
entry "shared" on the item and an audit entry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.db import transaction

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.actors import Actor
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.derivatives import make
from justicework.evidence.models import CustodyEntry, Derivative, Item, Original
from justicework.evidence.storage import derived, store
from justicework.evidence.storage.originals import OriginalDamaged, open_original

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What ``make_derivatives`` did for one original."""

    made: list[Derivative]
    problem: str = ""  # why none could be made (undecodable, missing file, notes), else empty
    skipped: bool = False  # a type that gets no derivatives, or made already
    #: kind -> why that one was not made while others were (a stripped copy of a video)
    notes: dict[str, str] | None = None


def _keep(original: Original, made: make.Made) -> Derivative:
    kept = derived.keep(made.data, original.vault_id)
    row, _created = Derivative.objects.update_or_create(
        original=original, kind=made.kind,
        defaults={
            "sha256": kept.sha256, "size": kept.size, "media_type": made.media_type,
            "storage_key": kept.key, "tool": made.tool, "tool_version": made.tool_version,
        },
    )  # fmt: skip
    return row


def drop_unreferenced(keys: Iterable[str]) -> list[str]:
    """Remove the derivative files among ``keys`` that no row points at any more (their
    original removed, or a derivative made again replacing them); the keys removed. Called
    after the rows' deletion committed, so a crash in between leaves an orphan file (which
    ``evidence fsck`` reports), never a row without its file."""
    wanted = set(keys)
    held = set(
        Derivative.objects.filter(storage_key__in=wanted).values_list("storage_key", flat=True)
    )
    gone = sorted(wanted - held)
    files = store()
    for key in gone:
        files.remove_derivative(key)
    return gone


def make_derivatives(original: Original, *, again: bool = False) -> Outcome:
    """Make ``original``'s derivatives (``again``: even when it has them). The files are stored
    before the rows are written, in one transaction with the audit entry, so a row never points
    at a missing file."""
    if not make.derivable(original.media_type):
        return Outcome([], skipped=True)
    if not again and original.derivatives.exists():
        return Outcome([], skipped=True)
    try:
        with open_original(original) as stream:
            produced = make.make(original.media_type, stream)
    except FileNotFoundError:
        return Outcome([], problem="the original's file is missing")
    except OriginalDamaged as exc:
        return Outcome([], problem=str(exc))
    except make.NotDerivable as exc:
        return Outcome([], problem=str(exc).replace(str(store().root), "…")[:300])
    with transaction.atomic():
        before = set(original.derivatives.values_list("storage_key", flat=True))
        rows = [_keep(original, made) for made in produced.made]
        replaced = before - {row.storage_key for row in rows}
        if replaced:
            transaction.on_commit(partial(drop_unreferenced, replaced))
        record(
            None,
            "evidence.derivative.made",
            original,
            diff={"sha256": original.sha256,
                  "derivatives": {row.kind: row.sha256 for row in rows},
                  "not_made": produced.notes},
        )  # fmt: skip
    if not rows:  # a PDF of which nothing could be made: its reasons, recorded above
        return Outcome([], problem=_reasons(produced.notes), notes=produced.notes)
    return Outcome(rows, notes=produced.notes)


def _reasons(notes: dict[str, str]) -> str:
    """``notes`` in one line, kinds that failed for the same reason together."""
    kinds: dict[str, list[str]] = {}
    for kind, why in notes.items():
        kinds.setdefault(why, []).append(kind)
    return "; ".join(f"{', '.join(names)}: {why}" for why, names in kinds.items())


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
