"""The verification status machine, in one place (STYLE 21): which status may follow which,
and what a conclusion needs. ``actions.verification.set_status`` is the only writer.

::

    unverified ──► in review ──► verified
                      ▲   │
                      │   └────► disputed
                      └───────── (reopen from verified or disputed)

A conclusion (verified or disputed) needs at least one finding. With the organisation's
two-person verification on, the person who marks an item **verified** must not be the author of
any of its findings, and at least one finding must be by someone else than that person: a
second person confirms what the first examined (the stricter reading of "two people": no one
verifies their own examination). Disputing stays open to every reviewer: a doubt is never held
back for want of a second person.
"""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext as _

from justicework.evidence.models import Item

S = Item.Status

TRANSITIONS: dict[str, frozenset[str]] = {
    S.UNVERIFIED: frozenset({S.IN_REVIEW}),
    S.IN_REVIEW: frozenset({S.VERIFIED, S.DISPUTED}),
    S.VERIFIED: frozenset({S.IN_REVIEW}),
    S.DISPUTED: frozenset({S.IN_REVIEW}),
}
CONCLUSIONS = frozenset({S.VERIFIED, S.DISPUTED})


def next_statuses(current: str) -> list[str]:
    return sorted(TRANSITIONS.get(current, frozenset()))


def problem(
    current: str,
    new: str,
    *,
    finding_authors: Collection[int | None],
    actor_id: int | None,
    two_person: bool,
) -> str | None:
    """Why ``current`` → ``new`` may not happen now (None: it may). ``finding_authors`` are the
    reviewer ids of the item's findings."""
    if new not in TRANSITIONS:
        return _("%(status)s is not a verification status.") % {"status": new}
    if new not in TRANSITIONS.get(current, frozenset()):
        return _("An item that is %(current)s cannot become %(new)s.") % {
            "current": S(current).label,
            "new": S(new).label,
        }
    if new in CONCLUSIONS and not finding_authors:
        return _("Record at least one finding before concluding.")
    if new == S.VERIFIED and two_person:
        if actor_id in finding_authors:
            return _(
                "Two-person verification: you wrote a finding on this item, so another "
                "reviewer must mark it verified."
            )
        if not any(author is not None and author != actor_id for author in finding_authors):
            return _("Two-person verification: a finding by another reviewer is needed.")
    return None
