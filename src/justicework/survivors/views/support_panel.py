"""The "Support" section of a person's page (``SurvivorsConfig.detail_panels``): for the
owning organisation's support coordinators, open referrals and agreed actions still to do,
with links to the referral and plan pages. Three queries whatever the person."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.template.loader import render_to_string

from justicework.core import policy
from justicework.survivors.actions.referrals import OPEN
from justicework.survivors.models import Referral, SupportAction, SurvivorFile


def panel(request: HttpRequest, record: Model) -> str | None:
    user: Any = request.user
    organisation_id = getattr(record, "organisation_id", None)
    if not user.is_authenticated or organisation_id is None:
        return None
    if not policy.can(user, "view", Referral(organisation_id=organisation_id)):
        return None
    file = policy.visible(user, SurvivorFile, "view").filter(person_id=record.pk).first()
    if file is None:
        return None
    referrals = policy.visible(user, Referral, "view").filter(file=file, status__in=sorted(OPEN))
    to_do = policy.visible(user, SupportAction, "view").filter(
        plan__file=file, done_at__isnull=True
    )
    context = {"file": file, "open_referrals": referrals.count(), "open_actions": to_do.count()}
    return render_to_string("survivors/partials/support_panel.html", context, request=request)
