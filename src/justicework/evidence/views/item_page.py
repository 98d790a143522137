"""What an item's page shows: the file, its custody, provenance and derivatives, its tombstone
when removed, its links (with the picker form) and its verification (findings, status, the
forms for those who may), shared by the page and by the
forms' POST views, which show the page again with their errors (422)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from justicework.core import policy
from justicework.evidence import custody, linked, verification
from justicework.evidence.actions.verification import two_person
from justicework.evidence.forms import FindingForm, LinkForm, StatusForm
from justicework.evidence.models import Item, RemovalRequest
from justicework.evidence.rules import is_tombstone
from justicework.evidence.views import custody_panel, derivatives, provenance


def item_queryset() -> Any:
    return Item.objects.select_related(
        "original", "organisation", "uploaded_by",
        "tombstone__request", "tombstone__approved_by", "tombstone__requested_by",
    )  # fmt: skip


def render_item(request: HttpRequest, item: Item, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    entries = list(item.custody.select_related("actor").order_by("seq"))
    can_verify = bool(policy.can(user, "verify", item))
    statuses = verification.next_statuses(item.status)
    context = {
        "item": item, "original": item.original, "entries": entries,
        "chain_problems": custody.problems(entries),
        "links": linked.item_links(user, item),
        "can_link": bool(policy.can(user, "link", item)),
        "link_form": forms.get("link_form") or LinkForm(),
        "findings": list(item.findings.select_related("reviewer").order_by("at", "pk")),
        "can_verify": can_verify,
        "finding_form": forms.get("finding_form") or FindingForm(),
        "status_form": forms.get("status_form") or StatusForm(),
        "next_statuses": [(s, Item.Status(s).label) for s in statuses],
        "two_person": two_person(item.organisation_id),
        "tombstone": item.tombstone if is_tombstone(item) else None,
        "can_request_removal": bool(policy.can(user, "remove.request", item)),
        "pending_removal": policy.visible(user, RemovalRequest, "view")
        .filter(item=item, status=RemovalRequest.Status.PENDING).first(),
        **provenance.context(user, item),
        **derivatives.context(user, item),
        **custody_panel.context(user, item, forms),
    }  # fmt: skip
    return render(request, "evidence/item_detail.html", context, status=status)
