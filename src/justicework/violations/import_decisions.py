"""The decisions taken on an import's likely duplicates (issue 11): read for the run page, checked
and applied by the commit.

A decision (``ImportDuplicateDecision``, taken by ``actions.decide_import_duplicate``) links a
flagged row's victim to a stored person or to the person of an earlier row, or keeps it new.
The commit (:func:`load`, then :meth:`Decisions.victim` per decided row) checks every decision
again before anything is written: it must still match a flag of the run's latest check (a check
run again on other stored persons or another mapping replaces the flags) and the committing
user must be allowed to open the linked person's identity. A refused decision refuses the whole
commit with one message per row. Decisions are few: they are read once per commit into a dict
that each chunk consults, so the bulk path keeps its speed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.violations import actions, import_duplicates
from justicework.violations.actions import NewPerson
from justicework.violations.models import ImportDuplicate, ImportDuplicateDecision, Person

KEEP_NEW = actions.DECISION_KEEP_NEW
ROW_PREFIX = actions.DECISION_ROW_PREFIX


@dataclass
class Decisions:
    """A commit's links: row → stored person, row → earlier row, and the persons of the earlier
    rows as the commit creates them."""

    persons: dict[int, NewPerson] = field(default_factory=dict)
    rows: dict[int, int] = field(default_factory=dict)
    made: dict[int, NewPerson] = field(default_factory=dict)
    #: The earlier rows later rows are linked to (only their persons are remembered).
    targets: set[int] = field(default_factory=set)

    def linked(self, number: int) -> bool:
        return number in self.persons or number in self.rows

    def victim(self, number: int) -> NewPerson | None:
        """The existing person row ``number`` is linked to (None: not linked)."""
        if number in self.persons:
            return self.persons[number]
        if number not in self.rows:
            return None
        earlier = self.rows[number]
        if earlier not in self.made:
            raise ValidationError(
                _(
                    "Row %(row)s: it is linked to the person of row %(other)s, which this import "
                    "has not created (the row was imported before or has no new victim). Link "
                    "it to the stored person instead, or keep it new."
                )
                % {"row": number, "other": earlier}
            )
        return self.made[earlier]

    def remember(self, number: int, person: Any) -> None:
        """The person row ``number`` got (for later rows linked to it)."""
        if number in self.targets and isinstance(person, NewPerson):
            self.made[number] = person


def _stale(decision: ImportDuplicateDecision, code: str) -> str:
    target = (
        code if decision.person_id is not None else _("row %(row)s") % {"row": decision.other_row}
    )
    return _(
        "Row %(row)s: the decision to link it to %(target)s no longer matches a likely "
        "duplicate of this import's latest check (the file, the mapping or the stored persons "
        "changed). Decide again on the run page, or keep it new."
    ) % {"row": decision.row, "target": target}


def load(actor: Requester, run: Any) -> Decisions:
    """The run's links, each checked against the run's flags and ``actor``'s right to open the
    linked person (``actor`` None: the system); ``ValidationError`` listing every refused one."""
    decisions = list(
        ImportDuplicateDecision.objects.filter(run=run)
        .exclude(person__isnull=True, other_row__isnull=True)
        .select_related("person")
        .only("row", "other_row", "person__code", "person__organisation_id")
    )
    if not decisions:
        return Decisions()
    flagged = set(
        ImportDuplicate.objects.filter(run=run, row__in=[d.row for d in decisions]).values_list(
            "row", "person_id", "other_row"
        )
    )
    person_ids = {d.person_id for d in decisions if d.person_id is not None}
    visible = person_ids
    if actor is not None:
        visible = set(
            policy.visible(actor, Person, "reveal_identity")
            .filter(pk__in=sorted(person_ids))
            .values_list("pk", flat=True)
        )
    problems: list[str] = []
    result = Decisions()
    for d in decisions:
        code = d.person.code if d.person is not None else ""
        if (d.row, d.person_id, d.other_row) not in flagged:
            problems.append(_stale(d, code))
        elif d.person is not None and d.person_id not in visible:
            problems.append(
                _(
                    "Row %(row)s: it is linked to a person whose identity you may not open; ask "
                    "for need-to-know or keep it new."
                )
                % {"row": d.row}
            )
        elif d.person is not None:
            result.persons[d.row] = NewPerson(d.person.pk, code, d.person.organisation_id)
        elif d.other_row is not None:
            result.rows[d.row] = d.other_row
    if problems:
        raise ValidationError(problems)
    result.targets = set(result.rows.values())
    return result


# --- the run page ----------------------------------------------------------------------------


@dataclass
class FlaggedRow:
    """One flagged row as the run page shows it: the sentences of its flags, the choices the
    user may take (value, kind: "new", "person" or "row", and the code or row shown) and the
    one taken."""

    row: int
    lines: list[str]
    choices: list[tuple[str, str, str]]
    chosen: str = KEEP_NEW
    #: A decision that no flag of the latest check supports any more (the commit refuses it).
    stale: bool = False
    #: The decision taken, as a committed run shows it (read-only): kind "new", "person",
    #: "hidden" (a stored person whose identity the user may not open: no code) or "row", and
    #: the code or row; None: no decision was taken (the row was imported as a new person).
    decision: tuple[str, str] | None = None


def flagged_rows(user: Requester, run: Any) -> list[FlaggedRow]:
    """The run's flagged rows with their choices, cut to what ``user`` may see (a stored
    person's code only to who may open that identity)."""
    flags = import_duplicates.stored(run)
    lines = import_duplicates.describe(user, run.organisation, flags)
    person_ids = sorted({f.person_id for f in flags if f.person_id is not None})
    codes = dict(
        policy.visible(user, Person, "reveal_identity")
        .filter(pk__in=person_ids)
        .values_list("pk", "code")
    )
    rows: dict[int, FlaggedRow] = {}
    for flag, line in zip(flags, lines, strict=True):
        item = rows.setdefault(flag.row, FlaggedRow(flag.row, [], [(KEEP_NEW, "new", "")]))
        item.lines.append(line)
        if flag.other_row is not None:
            item.choices.append((f"{ROW_PREFIX}{flag.other_row}", "row", str(flag.other_row)))
        elif flag.person_id in codes:
            code = codes[flag.person_id]
            item.choices.append((code, "person", code))
    _chosen(run, rows, codes)
    return [rows[number] for number in sorted(rows)]


def _chosen(run: Any, rows: dict[int, FlaggedRow], codes: dict[int, str]) -> None:
    for number, person_id, other in ImportDuplicateDecision.objects.filter(run=run).values_list(
        "row", "person_id", "other_row"
    ):
        if other is not None:
            value, decision = f"{ROW_PREFIX}{other}", ("row", str(other))
        elif person_id is not None:
            value = codes.get(person_id, "")
            decision = ("person", value) if value else ("hidden", "")
        else:
            value, decision = KEEP_NEW, ("new", "")
        item = rows.get(number)
        if item is None:  # a row the latest check no longer flags: it can only be kept new
            if value == KEEP_NEW:
                continue
            item = rows[number] = FlaggedRow(number, [], [(KEEP_NEW, "new", "")])
        item.chosen = value
        item.decision = decision
        item.stale = value not in {choice[0] for choice in item.choices}
