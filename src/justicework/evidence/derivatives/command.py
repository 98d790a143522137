"""``justicework evidence derive [--item N] [--again]``: make the derivatives (thumbnail,
preview, metadata-stripped copy) of every original that has none (``--again``: of every
original), or of the original of item N (made again). One line per original: the kinds made
with the start of each SHA-256, "skipped" (a type that gets none), or the problem; exit 0 (an
undecodable file is not an error of the command), CommandError for an unknown item."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import CommandError

from justicework.evidence.actions.derivatives import make_derivatives
from justicework.evidence.derivatives import make
from justicework.evidence.models import Item, Original


def _originals(item_id: int | None, again: bool) -> tuple[list[Original], bool]:
    if item_id is not None:
        item = Item.objects.select_related("original").filter(pk=item_id).first()
        if item is None:
            raise CommandError(f"There is no evidence item {item_id}.")
        return [item.original], True
    query = Original.objects.order_by("pk")
    if not again:
        query = query.filter(derivatives__isnull=True)
    return [o for o in query.iterator() if make.derivable(o.media_type)], again


def derive(write: Callable[[str], object], item_id: int | None, *, again: bool) -> None:
    originals, again = _originals(item_id, again)
    for original in originals:
        outcome = make_derivatives(original, again=again)
        if outcome.problem:
            line = f"not made: {outcome.problem}"
        elif outcome.skipped:
            line = "skipped (no derivatives for this type)"
        else:
            line = ", ".join(f"{row.kind} {row.sha256[:16]}" for row in outcome.made)
            for kind, why in (outcome.notes or {}).items():
                line += f"; no {kind}: {why}"
        write(f"{original.sha256[:16]} {original.media_type}: {line}\n")
    write(f"{len(originals)} original(s) done.\n")
