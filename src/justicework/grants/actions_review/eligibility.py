"""The formal eligibility checklist: found from the data where it can be, decided by staff
where not, confirmed by two different staff before merit review."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.models import User
from justicework.grants import notices
from justicework.grants.actions_review.common import audit, require_staff
from justicework.grants.models import Application, Attachment, Question
from justicework.grants.models.review import EligibilityCheck, EligibilityConfirmation

Item = EligibilityCheck.Item
Result = EligibilityCheck.Result
#: applications another one of the same applicant competes with
COUNTED = [
    s
    for s in Application.Status.values
    if s not in (Application.Status.DRAFT, Application.Status.WITHDRAWN)
]


def _on_time(app: Application) -> tuple[str, str]:
    if app.submitted_at is None:
        return Result.NOT_MET, _("Not submitted.")
    if app.submitted_at > app.call.closes_at:
        return Result.NOT_MET, _("Submitted after the deadline.")
    return Result.MET, ""


def _complete(app: Application) -> tuple[str, str]:
    required = Question.objects.filter(call_id=app.call_id, required=True)
    answers = app.answers or {}
    missing = [q.code for q in required if str(answers.get(q.code, "") or "").strip() == ""]
    if missing:
        return Result.NOT_MET, _("Unanswered: %(codes)s.") % {"codes": ", ".join(missing)}
    if not app.budget_lines.exists():
        return Result.NOT_MET, _("No budget line.")
    return Result.MET, ""


def _listed(value: str, allowed: list[str], what: str) -> tuple[str, str]:
    if not allowed or value in allowed:
        return Result.MET, ""
    return Result.NOT_MET, _("%(what)s %(value)s is not eligible.") % {"what": what, "value": value}


def _declaration(app: Application) -> tuple[str, str]:
    if not app.attachments.filter(kind=Attachment.Kind.DECLARATION).exists():
        return Result.NOT_MET, _("No declaration of honour attached.")
    return Result.UNKNOWN, _("Attached: check that it is signed.")


def _one_proposal(app: Application) -> tuple[str, str]:
    if not app.call.one_proposal_per_applicant:
        return Result.MET, ""
    others = Application.objects.filter(
        call_id=app.call_id, applicant_id=app.applicant_id, status__in=COUNTED
    ).exclude(pk=app.pk)
    if others.exists():
        refs = ", ".join(others.values_list("reference", flat=True))
        return Result.NOT_MET, _("Other proposals of the applicant: %(refs)s.") % {"refs": refs}
    return Result.MET, ""


def automatic_results(app: Application) -> dict[str, tuple[str, str]]:
    """Each item's result from the data, with why (``unknown``: staff decide)."""
    entity, call = app.applicant, app.call
    return {
        Item.ON_TIME: _on_time(app),
        Item.COMPLETE: _complete(app),
        Item.COUNTRY: _listed(entity.country, call.countries, _("Country")),
        Item.LEGAL_FORM: _listed(entity.legal_form, call.legal_forms, _("Legal form")),
        Item.DECLARATION: _declaration(app),
        Item.ONE_PROPOSAL: _one_proposal(app),
        Item.NO_CONFLICT: (Result.UNKNOWN, _("Staff check for conflicts of interest.")),
    }


@transaction.atomic
def run_checks(actor: User | None, application: Application) -> list[EligibilityCheck]:
    """(Re)compute the automatic results; staff decisions already recorded stay."""
    require_staff(actor, application.call)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted application is checked.")})
    now = timezone.now()
    checks = []
    for item, (result, why) in automatic_results(application).items():
        check, _created = EligibilityCheck.objects.update_or_create(
            application=application,
            item=item,
            defaults={"automatic": result, "automatic_note": why[:300], "checked_at": now},
        )
        checks.append(check)
    audit(
        actor,
        "eligibility_checked",
        application,
        application.call,
        results={c.item: c.automatic for c in checks},
    )
    return checks


@transaction.atomic
def decide_item(actor: User | None, check: EligibilityCheck, result: str, note: str) -> None:
    """Staff record a decision on one item (overriding the data); confirmations made before it
    no longer hold."""
    if actor is not None:
        policy.require(actor, "manage", check)
    if result not in (Result.MET, Result.NOT_MET):
        raise ValidationError({"result": _("Choose met or not met.")})
    note = (note or "").strip()
    if result == Result.NOT_MET and not note:
        raise ValidationError({"note": _("Say why the item is not met.")})
    check.decision, check.note = result, note
    check.decided_by, check.decided_at = actor, timezone.now()
    check.save(update_fields=["decision", "note", "decided_by", "decided_at"])
    dropped = EligibilityConfirmation.objects.filter(application_id=check.application_id)
    dropped_ids = sorted(dropped.values_list("pk", flat=True))
    dropped.delete()
    audit(
        actor,
        "eligibility_decided",
        check,
        check.application.call,
        item=check.item,
        result=result,
        note=note,
        confirmations_dropped=dropped_ids,
    )


def outcome_of(checks: list[EligibilityCheck]) -> tuple[str, str]:
    """The checklist's outcome and, when not eligible, the reasons (item and why)."""
    if len(checks) != len(Item.values):
        raise ValidationError({"checks": _("Run the checks first.")})
    open_items = [str(c.get_item_display()) for c in checks if c.result == Result.UNKNOWN]
    if open_items:
        raise ValidationError(
            {"checks": _("Decide these items first: %(items)s.") % {"items": "; ".join(open_items)}}
        )
    failed = [c for c in checks if c.result == Result.NOT_MET]
    if not failed:
        return EligibilityConfirmation.Outcome.ELIGIBLE, ""
    reasons = [f"{c.get_item_display()}: {c.note or c.automatic_note}" for c in failed]
    return EligibilityConfirmation.Outcome.INELIGIBLE, "\n".join(reasons)


@transaction.atomic
def confirm(actor: User, application: Application) -> EligibilityConfirmation:
    """One staff member confirms the outcome; the second (a different person) applies it: the
    application goes to merit review, or is marked not eligible with the reasons."""
    require_staff(actor, application.call)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Application.Status.SUBMITTED:
        raise ValidationError({"status": _("This application's eligibility is settled.")})
    checks = list(EligibilityCheck.objects.filter(application=locked).order_by("id"))
    outcome, reason = outcome_of(checks)
    if EligibilityConfirmation.objects.filter(application=locked, confirmed_by=actor).exists():
        raise PermissionDenied(_("You confirmed already: a second person must confirm."))
    confirmation = EligibilityConfirmation.objects.create(
        application=locked, outcome=outcome, reason=reason, confirmed_by=actor
    )
    audit(actor, "eligibility_confirmed", locked, locked.call, outcome=outcome, reason=reason)
    if EligibilityConfirmation.objects.filter(application=locked).count() >= 2:
        eligible = outcome == EligibilityConfirmation.Outcome.ELIGIBLE
        locked.status = Application.Status.IN_REVIEW if eligible else Application.Status.INELIGIBLE
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "updated_at"])
        audit(actor, "eligibility_applied", locked, locked.call, status=locked.status)
        # the reason is the checklist's items not met, written for the applicant
        notices.tell(locked, notices.K.ELIGIBILITY, reason="" if eligible else reason)
    application.status = locked.status
    return confirmation
