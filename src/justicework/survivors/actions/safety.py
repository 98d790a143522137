"""Recording a safety assessment (append-only: a new one supersedes the last) and reading the
current one, which is itself audited (a sensitive read). No audit diff holds the text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.survivors.models import SafetyAssessment, SurvivorFile

#: the longest a review may be put off (a plan older than a year is not a plan)
LONGEST_REVIEW = dt.timedelta(days=366)
TEXT_LIMIT = 4000


@dataclass(frozen=True)
class Safety:
    """What the assessment says (the text fields in the survivor's or the assessor's words)."""

    review_on: dt.date
    threats: str = ""
    contact_methods: str = ""
    contact_times: str = ""
    never_tell: str = ""
    code_word: str = ""


def _check(safety: Safety) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if safety.review_on < today:
        errors["review_on"] = _("The review date is in the past.")
    elif safety.review_on > today + LONGEST_REVIEW:
        errors["review_on"] = _("Review the assessment within a year.")
    if not safety.contact_methods.strip():
        errors["contact_methods"] = _("Say how the survivor may be contacted safely.")
    for name in ("threats", "contact_methods", "contact_times", "never_tell"):
        if len(getattr(safety, name)) > TEXT_LIMIT:
            errors[name] = _("Keep this under %(n)d characters.") % {"n": TEXT_LIMIT}
    if len(safety.code_word) > 100:
        errors["code_word"] = _("A code word is short (100 characters at most).")
    return errors


@transaction.atomic
def record_safety_assessment(actor: User, file: SurvivorFile, safety: Safety) -> SafetyAssessment:
    """A new assessment of ``file``; the previous one is kept, superseded."""
    policy.require(actor, "record_safety", file)
    errors = _check(safety)
    if errors:
        raise ValidationError(errors)
    assessment = SafetyAssessment.objects.create(
        organisation_id=file.organisation_id,
        file=file,
        threats=safety.threats.strip(),
        has_threats=bool(safety.threats.strip()),
        contact_methods=safety.contact_methods.strip(),
        contact_times=safety.contact_times.strip(),
        never_tell=safety.never_tell.strip(),
        code_word=safety.code_word.strip(),
        review_on=safety.review_on,
        recorded_by=actor,
    )
    record(
        actor,
        "survivors.safety.recorded",
        assessment,
        organisation_id=file.organisation_id,
        diff={
            "file": file.pk,
            "review_on": safety.review_on.isoformat(),
            "has_threats": assessment.has_threats,
            "has_never_tell": bool(assessment.never_tell),
            "has_code_word": bool(assessment.code_word),
        },
    )
    return assessment


@transaction.atomic
def read_safety_assessment(actor: User, file: SurvivorFile) -> SafetyAssessment | None:
    """The current assessment, decrypted, with the audit entry of the read (None: none yet;
    nothing is recorded then, nothing was read)."""
    policy.require(actor, "view_safety", file)
    assessment = (
        policy.visible(actor, SafetyAssessment, "view")
        .filter(file=file)
        .select_related("recorded_by")
        .order_by("-pk")
        .first()
    )
    if assessment is not None:
        record(
            actor,
            "survivors.safety.viewed",
            assessment,
            organisation_id=file.organisation_id,
            diff={"file": file.pk},
        )
    return assessment
