"""Decide a flagged row of an import's dry run (issue 11): link its victim to a likely duplicate
person, or keep it a new person.

A decision is taken on a run that was checked and not yet committed, for a row the check flagged:

* ``"new"`` keeps the row's victim a new person (as without a decision);
* a person code links it to that stored person — only a person the actor may open
  (``reveal_identity``: need-to-know) and only one the check flagged for that row;
* ``"row:N"`` links it to the person of the earlier row ``N`` of the same file, flagged too.

Anything else is refused with a ``ValidationError`` naming the reason, and nothing is written.
Audited as ``violations.import.duplicate_decided`` (row and target code or row, never a name).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.dataio.models import ImportRun
from justicework.violations.models import ImportDuplicate, ImportDuplicateDecision, Person

#: The choice that keeps the row's victim new, and the prefix of a choice naming an earlier row.
DECISION_KEEP_NEW = KEEP_NEW = "new"
DECISION_ROW_PREFIX = ROW_PREFIX = "row:"

#: Runs whose decisions may still change (checked, not being run nor committed).
OPEN_STATUSES = frozenset(
    {ImportRun.Status.VALID, ImportRun.Status.INVALID, ImportRun.Status.FAILED}
)


def _earlier_row(choice: str, row: int) -> int:
    text = choice.removeprefix(ROW_PREFIX).strip()
    if not text.isdigit():
        raise ValidationError(
            {"choice": _("Write the earlier row as row:N (for example row:2).")}, code="choice"
        )
    return int(text)


def _not_flagged(row: int, target: str) -> ValidationError:
    return ValidationError(
        {
            "choice": _(
                "Row %(row)s is not flagged as a likely duplicate of %(target)s in this import's "
                "latest check (the file or the stored persons may have changed): check the "
                "file again, then decide."
            )
            % {"row": row, "target": target}
        },
        code="not_flagged",
    )


def _target(actor: User, run: ImportRun, row: int, choice: str) -> dict[str, Any]:
    """The decision's fields for ``choice`` (a code or ``row:N``), checked against the flags."""
    flags = ImportDuplicate.objects.filter(run=run, row=row)
    if choice.startswith(ROW_PREFIX):
        other = _earlier_row(choice, row)
        if not flags.filter(other_row=other).exists():
            raise _not_flagged(row, _("row %(row)s") % {"row": other})
        return {"person": None, "other_row": other}
    person = (
        policy.visible(actor, Person, "reveal_identity")
        .filter(organisation_id=run.organisation_id, code=choice.upper())
        .only("pk", "code")
        .first()
    )
    if person is None:  # missing and "not yours" alike
        raise ValidationError(
            {
                "choice": _(
                    "No person whose identity you may open has the code %(code)s (need-to-know)."
                )
                % {"code": choice}
            },
            code="person",
        )
    if not flags.filter(person=person).exists():
        raise _not_flagged(row, person.code)
    return {"person": person, "other_row": None}


@transaction.atomic
def decide_import_duplicate(
    actor: User, run: ImportRun, row: int, choice: str
) -> ImportDuplicateDecision:
    """Store ``actor``'s decision for ``row`` of ``run`` (``"new"``, a person code or
    ``"row:N"``), replacing an earlier one; needs ``edit`` on the run (the import capability)."""
    policy.require(actor, "edit", run)
    if run.status not in OPEN_STATUSES:
        raise ValidationError(
            {
                "status": _(
                    "Decisions can be taken once the file is checked, before it is imported."
                )
            },
            code="status",
        )
    choice = (choice or "").strip()
    existing = ImportDuplicateDecision.objects.filter(run=run, row=row).first()
    flagged = ImportDuplicate.objects.filter(run=run, row=row).exists()
    if not flagged and existing is None:
        raise ValidationError(
            {"row": _("Row %(row)s has no likely duplicate to decide.") % {"row": row}},
            code="row",
        )
    fields: dict[str, Any] = {"person": None, "other_row": None}
    if choice != KEEP_NEW:
        fields = _target(actor, run, row, choice)
    decision, _created = ImportDuplicateDecision.objects.update_or_create(
        run=run, row=row, defaults={**fields, "decided_by": actor}
    )
    link = (
        fields["person"].code
        if fields["person"] is not None
        else (f"row {fields['other_row']}" if fields["other_row"] is not None else KEEP_NEW)
    )
    record(actor, "violations.import.duplicate_decided", run, diff={"row": row, "link": link})
    return decision
