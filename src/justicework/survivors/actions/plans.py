"""A survivor's support plan: the needs (kinds of service, and in the survivor's words), the
agreed actions with their owners and dates, and its reviews. One plan per survivor file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.survivors.models import ServiceKind, SupportAction, SupportPlan, SurvivorFile

TEXT_LIMIT = 4000


def _check_needs(needs: Sequence[str], note: str) -> dict[str, str]:
    if any(n not in ServiceKind.values for n in needs) or len(set(needs)) != len(needs):
        return {"needs": _("Choose each need once, from the kinds of service.")}
    if len(note) > TEXT_LIMIT:
        return {"needs_note": _("At most %(n)d characters.") % {"n": TEXT_LIMIT}}
    return {}


def _future(day: dt.date | None, field: str) -> dict[str, str]:
    if day is not None and day < timezone.localdate():
        return {field: _("The date is in the past.")}
    return {}


@transaction.atomic
def save_plan(
    actor: User,
    file: SurvivorFile,
    *,
    needs: Sequence[str],
    needs_note: str = "",
    next_review_on: dt.date | None = None,
) -> SupportPlan:
    """Create the file's plan or change its needs and next review date."""
    policy.require(actor, "manage", SupportPlan(organisation_id=file.organisation_id))
    errors = _check_needs(needs, needs_note) | _future(next_review_on, "next_review_on")
    if errors:
        raise ValidationError(errors)
    plan = SupportPlan.objects.select_for_update().filter(file=file).first()
    created = plan is None
    if plan is None:
        plan = SupportPlan(
            organisation_id=file.organisation_id, file=file, person_id=file.person_id,
            created_by=actor,
        )  # fmt: skip
    plan.needs = sorted(needs)
    plan.needs_note = needs_note.strip()
    plan.next_review_on = next_review_on
    plan.save()
    record(
        actor, "survivors.plan.created" if created else "survivors.plan.changed", plan,
        organisation_id=file.organisation_id,
        diff={"file": file.pk, "needs": plan.needs, "next_review_on": str(next_review_on)},
    )  # fmt: skip
    return plan


@transaction.atomic
def review_plan(
    actor: User, plan: SupportPlan, *, next_review_on: dt.date | None = None
) -> SupportPlan:
    """Record that the plan was reviewed with the survivor now, and when to review it next."""
    policy.require(actor, "manage", plan)
    errors = _future(next_review_on, "next_review_on")
    if errors:
        raise ValidationError(errors)
    plan.reviewed_at = timezone.now()
    plan.reviewed_by = actor
    plan.next_review_on = next_review_on
    plan.save()
    record(
        actor, "survivors.plan.reviewed", plan, organisation_id=plan.organisation_id,
        diff={"next_review_on": str(next_review_on)},
    )  # fmt: skip
    return plan


@transaction.atomic
def add_plan_action(
    actor: User, plan: SupportPlan, *, description: str, owner: User, due_on: dt.date
) -> SupportAction:
    """An agreed action: what, who does it (a support coordinator here), by when."""
    policy.require(actor, "manage", plan)
    errors: dict[str, str] = _future(due_on, "due_on")
    if not description.strip() or len(description) > TEXT_LIMIT:
        errors["description"] = _("Say what was agreed (at most %(n)d characters).") % {
            "n": TEXT_LIMIT
        }
    if not policy.can(owner, "manage", SupportAction(organisation_id=plan.organisation_id)):
        errors["owner"] = _("The owner must be a support coordinator here.")
    if errors:
        raise ValidationError(errors)
    action = SupportAction.objects.create(
        plan=plan, organisation_id=plan.organisation_id, person_id=plan.person_id,
        description=description.strip(), owner=owner, due_on=due_on,
    )  # fmt: skip
    record(
        actor, "survivors.plan.action_added", action, organisation_id=plan.organisation_id,
        diff={"plan": plan.pk, "owner": owner.pk, "due_on": str(due_on)},
    )  # fmt: skip
    return action


@transaction.atomic
def complete_plan_action(actor: User, action: SupportAction) -> SupportAction:
    policy.require(actor, "manage", action)
    if action.done_at is not None:
        raise ValidationError({"done_at": _("This action is already done.")})
    action.done_at = timezone.now()
    action.save()
    record(
        actor, "survivors.plan.action_done", action, organisation_id=action.organisation_id,
        diff={"plan": action.plan_id},
    )  # fmt: skip
    return action
