"""The "Retention and statistics" section of a person's page (declared on
``SurvivorsConfig.detail_panels``): links to the survivor's statistical data and legal holds,
for those allowed, with whether a hold is in force."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.template.loader import render_to_string

from justicework.core import policy
from justicework.survivors.models import LegalHold, SurvivorFile
from justicework.survivors.retention import holds_in_force


def panel(request: HttpRequest, record: Model) -> str | None:
    user: Any = request.user
    if not user.is_authenticated or getattr(record, "organisation_id", None) is None:
        return None
    file = policy.visible(user, SurvivorFile, "view").filter(person_id=record.pk).first()
    if file is None:
        return None
    may_hold = bool(policy.can(user, "manage_legal_hold", file))
    may_record = bool(policy.can(user, "record_statistics", file))
    if not (may_hold or may_record):
        return None
    held = (
        may_hold
        and LegalHold.objects.filter(holds_in_force(file.organisation_id), file=file).exists()
    )
    context = {"person": record, "may_hold": may_hold, "may_record": may_record, "held": held}
    return render_to_string("survivors/partials/retention_panel.html", context, request=request)
