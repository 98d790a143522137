"""The "Evidence" section of the documentation wing's record pages (an incident, a violation,
a person, a source), declared on ``EvidenceConfig.detail_panels`` and rendered by ``web``: the
items linked to the record that the reader may open, each with its SHA-256 prefix, name and
verification status; on an incident, "package this incident's evidence" for those who may.
A reader who opens no evidence in the record's organisation gets no section at all."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.template.loader import render_to_string

from justicework.core import policy
from justicework.evidence.linked import record_links
from justicework.violations.models import Incident

#: rows shown in the section (the rest: "and N more", the list is the item list)
LIMIT = 50


def panel(request: HttpRequest, record: Model) -> str | None:
    user: Any = request.user
    if not user.is_authenticated:
        return None
    organisation = _organisation(request, getattr(record, "organisation_id", None))
    if organisation is None or not policy.can(user, "evidence.view", organisation):
        return None
    links = list(record_links(user, record)[: LIMIT + 1])
    rows = [{"item": link.item, "via_violation": link.violation_id} for link in links[:LIMIT]]
    can_package = isinstance(record, Incident) and bool(
        policy.can(user, "evidence.package", organisation)
    )
    return render_to_string(
        "evidence/partials/evidence_panel.html",
        {"rows": rows, "more": len(links) > LIMIT, "record": record,
         "can_package": can_package and bool(rows)},
        request=request,
    )  # fmt: skip


def _organisation(request: HttpRequest, organisation_id: int | None) -> Any:
    """The record's organisation among the user's memberships (no query; None if not one)."""
    for membership in request.user.active_memberships():  # type: ignore[union-attr]
        if membership.organisation_id == organisation_id:
            return membership.organisation
    return None
