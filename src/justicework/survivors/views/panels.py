"""The "Consent" section of a person's page (declared on ``SurvivorsConfig.detail_panels``,
rendered by ``web``): whether the person is consent-managed and where each use stands."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.template.loader import render_to_string

from justicework.core import policy
from justicework.survivors import queries
from justicework.survivors.models import SurvivorFile


def panel(request: HttpRequest, record: Model) -> str | None:
    user: Any = request.user
    organisation_id = getattr(record, "organisation_id", None)
    if not user.is_authenticated or organisation_id is None:
        return None
    file = policy.visible(user, SurvivorFile, "view").filter(person_id=record.pk).first()
    opener = SurvivorFile(organisation_id=organisation_id)
    if file is None and not policy.can(user, "open", opener):
        return None
    return render_to_string(
        "survivors/partials/consent_panel.html",
        {"person": record, "file": file, "uses": queries.current_uses(file) if file else []},
        request=request,
    )
