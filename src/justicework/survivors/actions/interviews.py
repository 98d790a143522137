"""Recording an interview (append-only) and unfolding its narratives one audited read at a
time. A repeat interview needs a reason ("does this interview add value?") whenever the
survivor has already been interviewed or given a statement that the interviewer can see;
questions and answers on sexual violence are refused unless that purpose was declared."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.survivors.interview_history import earlier_accounts
from justicework.survivors.models import Interview, SurvivorFile
from justicework.survivors.models.interviews import PARTS, Gender

P = Interview.Purpose
CLOCK_SKEW = dt.timedelta(minutes=10)
TEXT_LIMIT = 100_000


@dataclass(frozen=True)
class InterviewData:
    held_at: dt.datetime
    interviewer_gender: str
    preferred_gender: str
    place: str
    duration_minutes: int
    purposes: list[str] = field(default_factory=list)
    interpreter: str = ""
    interpreter_gender: str = ""
    support_person_present: bool = False
    breaks: int = 0
    first_aid_given: bool = False
    referral_offered: bool = False
    repeat_reason: str = ""
    narrative: str = ""
    sexual_violence_narrative: str = ""


def _check_who(data: InterviewData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.interviewer_gender not in Gender.values:
        errors["interviewer_gender"] = _("Choose the interviewer's gender.")
    if data.preferred_gender not in Interview.Preference.values:
        errors["preferred_gender"] = _('Choose the survivor\'s preference (or "not asked").')
    if data.interpreter.strip() and data.interpreter_gender not in Gender.values:
        errors["interpreter_gender"] = _("Choose the interpreter's gender.")
    if not data.interpreter.strip() and data.interpreter_gender:
        errors["interpreter"] = _("Name the interpreter, or leave their gender empty.")
    if len(data.interpreter) > 200:
        errors["interpreter"] = _("Keep the interpreter's name under 200 characters.")
    return errors


def _check(data: InterviewData) -> dict[str, str]:
    errors = _check_who(data)
    if timezone.is_naive(data.held_at):
        errors["held_at"] = _("Give the date with its time zone.")
    elif data.held_at > timezone.now() + CLOCK_SKEW:
        errors["held_at"] = _("The interview date is in the future.")
    if data.place not in Interview.Place.values:
        errors["place"] = _("Choose the kind of place.")
    if not 1 <= data.duration_minutes <= 24 * 60:
        errors["duration_minutes"] = _("Give the duration in minutes (1 to 1440).")
    if not 0 <= data.breaks <= 100:
        errors["breaks"] = _("Give the number of breaks (0 to 100).")
    unknown = [p for p in data.purposes if p not in P.values]
    if not data.purposes or unknown or len(set(data.purposes)) != len(data.purposes):
        errors["purposes"] = _("Declare the interview's purposes, each once.")
    if data.sexual_violence_narrative.strip() and P.SEXUAL_VIOLENCE not in data.purposes:
        errors["sexual_violence_narrative"] = _(
            "Questions on sexual violence are recorded only when that purpose was declared "
            "to the survivor before the interview."
        )
    for name in ("narrative", "sexual_violence_narrative", "repeat_reason"):
        if len(getattr(data, name)) > TEXT_LIMIT:
            errors[name] = _("Keep this under %(n)d characters.") % {"n": TEXT_LIMIT}
    return errors


@transaction.atomic
def record_interview(actor: User, file: SurvivorFile, data: InterviewData) -> Interview:
    """Record an interview ``actor`` held. With earlier interviews or statements the actor can
    see, ``repeat_reason`` must say why this one adds value."""
    policy.require(actor, "record_interview", file)
    errors = _check(data)
    earlier = earlier_accounts(actor, file)
    if earlier.count and not data.repeat_reason.strip():
        errors["repeat_reason"] = _(
            "This person has %(n)d earlier interviews or statements: say why this interview "
            "adds value before recording it."
        ) % {"n": earlier.count}
    if errors:
        raise ValidationError(errors)
    interview = Interview.objects.create(
        organisation_id=file.organisation_id, file=file, held_at=data.held_at,
        interviewer=actor, interviewer_gender=data.interviewer_gender,
        interpreter=data.interpreter.strip(), interpreter_gender=data.interpreter_gender,
        preferred_gender=data.preferred_gender, place=data.place,
        support_person_present=data.support_person_present,
        duration_minutes=data.duration_minutes, breaks=data.breaks,
        first_aid_given=data.first_aid_given, referral_offered=data.referral_offered,
        purposes=list(data.purposes), repeat_reason=data.repeat_reason.strip(),
        narrative=data.narrative.strip(),
        sexual_violence_narrative=data.sexual_violence_narrative.strip(), recorded_by=actor,
    )  # fmt: skip
    record(
        actor,
        "survivors.interview.recorded",
        interview,
        organisation_id=file.organisation_id,
        diff={
            "file": file.pk,
            "purposes": list(data.purposes),
            "earlier": earlier.count,
            "has_narrative": bool(interview.narrative),
            "has_sexual_violence_narrative": bool(interview.sexual_violence_narrative),
        },
    )
    return interview


@transaction.atomic
def unfold_narrative(actor: User, interview: Interview, part: str) -> str:
    """One narrative of ``interview`` (``part``: "narrative" or "sexual_violence"), decrypted,
    with the audit entry of the read."""
    if part not in PARTS:
        raise ValidationError({"part": _("Unknown part: %(part)s.") % {"part": part}})
    policy.require(actor, "view", interview)
    text = Interview.objects.filter(pk=interview.pk).values_list(PARTS[part], flat=True).first()
    record(
        actor,
        "survivors.interview.narrative_read",
        interview,
        organisation_id=interview.organisation_id,
        diff={"file": interview.file_id, "part": part},
    )
    return str(text or "")
