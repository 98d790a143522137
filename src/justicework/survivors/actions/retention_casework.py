"""What anonymising or deleting each record of a survivor's casework does: safety assessments,
interviews, participation wishes, applications for victim status, the information log,
referrals and support plans (the handlers their ``RecordType`` names in ``apps.py``).

Like :mod:`retention_records`, they run inside :func:`actions.retention.apply_retention`'s
transaction, which checks the policy and legal holds and writes the audit entry; anonymising
or deleting a survivor file calls them for every record of the file.

Anonymising wipes every free-text field (all of them encrypted but ``forum_other`` and a
victim-status ``reference``, which are plain and may name a case): the ciphertext would still
open under a key the organisation holds. What stays is what counts: dates, kinds, statuses,
genders, durations, purposes, forums, what was shared with a provider (the item kinds, not
the values). Deleting removes the rows, children first, because every foreign key here is
``PROTECT``; the audit entry the retention action writes is what remains of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model

from justicework.survivors.models import (
    InformationGiven,
    Interview,
    ParticipationWish,
    Referral,
    Reminder,
    SafetyAssessment,
    SupportAction,
    SupportPlan,
    SurvivorFile,
    VictimStatusApplication,
)
from justicework.survivors.models.interviews import TEXT_FIELDS as INTERVIEW_TEXT
from justicework.survivors.models.safety import SENSITIVE

PARTICIPATION_TEXT = (
    "legal_representative",
    "measures_requested",
    "measures_granted",
    "reparations_sought",
    "reparations_received",
)


def _wipe(row: Model, encrypted: Iterable[str], plain: Iterable[str] = ()) -> None:
    """Null the encrypted fields (no ciphertext left) and empty the plain ones."""
    names = [*encrypted, *plain]
    for name in encrypted:
        setattr(row, name, None)
    for name in plain:
        setattr(row, name, "")
    row.save(update_fields=names)


def anonymise_safety(assessment: SafetyAssessment) -> None:
    """Threats, safe contact, never-tell and the code word go; whether threats were known and
    the review date stay."""
    _wipe(assessment, SENSITIVE)


def delete_safety(assessment: SafetyAssessment) -> None:
    assessment.delete()


def anonymise_interview(interview: Interview) -> None:
    """The narratives, the interpreter's name and the repeat reason go; genders, place,
    duration, breaks, care given and purposes stay (the re-interview report counts them)."""
    _wipe(interview, INTERVIEW_TEXT)


def delete_interview(interview: Interview) -> None:
    interview.delete()


def anonymise_participation(wish: ParticipationWish) -> None:
    """Names, measures and reparations go; whether and in which forums the survivor wanted
    to take part stay."""
    _wipe(wish, PARTICIPATION_TEXT, ["forum_other"])


def delete_participation(wish: ParticipationWish) -> None:
    wish.delete()


def anonymise_victim_status(application: VictimStatusApplication) -> None:
    """The forum's reference (it finds the survivor in the court's records) and a named
    other forum go; forum, status and dates stay."""
    _wipe(application, (), ["reference", "forum_other"])


def delete_victim_status(application: VictimStatusApplication) -> None:
    """One state of an application: the state after it (if any) is joined to the one before,
    so the rest of the history stays a chain (``supersedes`` is one-to-one and protected)."""
    before = application.supersedes_id
    after = VictimStatusApplication.objects.filter(supersedes=application).first()
    if after is not None:
        application.supersedes = None
        application.save(update_fields=["supersedes"])
        after.supersedes_id = before
        after.save(update_fields=["supersedes"])
    application.delete()


def anonymise_information(entry: InformationGiven) -> None:
    """What the survivor was told goes; when, how and by whom stay."""
    _wipe(entry, ["what"])


def delete_information(entry: InformationGiven) -> None:
    entry.delete()


def anonymise_referral(referral: Referral) -> None:
    """The note to the provider and the outcome go; the provider, kind, status, dates and the
    kinds of information passed stay."""
    _wipe(referral, ["note", "outcome"])


def delete_referral(referral: Referral) -> None:
    Reminder.objects.filter(kind=Reminder.Kind.REFERRAL, object_id=referral.pk).delete()
    referral.delete()


def anonymise_plan(plan: SupportPlan) -> None:
    """The needs in the survivor's words and every action's description go; the kinds of
    need, the actions' owners and dates, and the reviews stay."""
    _wipe(plan, ["needs_note"])
    for action in SupportAction.objects.filter(plan=plan):
        _wipe(action, ["description"])


def delete_plan(plan: SupportPlan) -> None:
    actions = SupportAction.objects.filter(plan=plan)
    Reminder.objects.filter(
        kind=Reminder.Kind.ACTION, object_id__in=list(actions.values_list("pk", flat=True))
    ).delete()
    actions.delete()
    plan.delete()


#: per record of a file, in deletion order: (model, anonymise, delete)
CASEWORK: tuple[tuple[type[Model], Callable[[Any], None], Callable[[Any], None]], ...] = (
    (SafetyAssessment, anonymise_safety, delete_safety),
    (Interview, anonymise_interview, delete_interview),
    (ParticipationWish, anonymise_participation, delete_participation),
    (VictimStatusApplication, anonymise_victim_status, delete_victim_status),
    (InformationGiven, anonymise_information, delete_information),
    (Referral, anonymise_referral, delete_referral),
    (SupportPlan, anonymise_plan, delete_plan),
)


def anonymise_casework(file: SurvivorFile) -> None:
    """Anonymise every casework record of ``file`` (part of anonymising the file)."""
    for model, anonymise, _delete in CASEWORK:
        for row in model._default_manager.filter(file=file).order_by("pk"):
            anonymise(row)


def delete_casework(file: SurvivorFile) -> None:
    """Delete every casework record of ``file`` (part of deleting the file); a
    victim-status history goes newest first, so no state is left pointing at a deleted one."""
    for model, _anonymise, delete in CASEWORK:
        for row in model._default_manager.filter(file=file).order_by("-pk"):
            delete(row)
