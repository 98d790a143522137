"""The two-person removal on the web: an admin asks for an item's removal (reason, legal
basis), another admin approves or rejects it from the list of pending requests (policy:
``Item`` "remove.request", ``RemovalRequest`` "view", "approve", "reject")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.core.uses import declares
from justicework.evidence.actions import removals
from justicework.evidence.models import Item, RemovalRequest

PENDING = RemovalRequest.Status.PENDING


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {key: [str(m) for m in value[0].messages] for key, value in exc.error_dict.items()}
    return {"form": list(exc.messages)}


@login_required
@require_http_methods(["GET", "POST"])
@declares("evidence.removal")  # also after a survivor withdrew consent to the item
def removal_request(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    item = policy.get_or_404(user, Item.objects.select_related("original"), "view", pk=pk)
    decision = policy.can(user, "remove.request", item)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    values = {"reason": "", "legal_basis": ""}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        try:
            made = removals.request_removal(user, item, **values)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Removal requested: another admin must approve it."))
            return redirect("evidence:removal_detail", pk=made.pk)
    return render(request, "evidence/removal_request.html", {
        "item": item, "values": values, "errors": errors, "limit": removals.LIMIT,
    }, status=400 if errors else 200)  # fmt: skip


@login_required
@require_GET
def removal_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    membership = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied(_("You are not a member of any organisation."))
    policy.require(user, "evidence.remove.approve", membership.organisation)
    visible = policy.visible(user, RemovalRequest, "view").filter(
        organisation=membership.organisation
    )
    related = visible.select_related("item", "requester", "decided_by")
    return render(request, "evidence/removal_list.html", {
        "pending": list(related.filter(status=PENDING).order_by("requested_at")),
        "decided": list(related.exclude(status=PENDING).order_by("-decided_at")[:20]),
    })  # fmt: skip


@login_required
@require_GET
def removal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    removal = policy.get_or_404(
        user, RemovalRequest.objects.select_related("item__original", "requester", "decided_by"),
        "view", pk=pk,
    )  # fmt: skip
    decision = policy.can(user, "approve", removal)
    return render(request, "evidence/removal_detail.html", {
        "removal": removal, "item": removal.item, "can_decide": bool(decision),
        "why_not": "" if decision or removal.status != PENDING else decision.reason,
    })  # fmt: skip


@login_required
@require_POST
def removal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    removal = policy.get_or_404(user, RemovalRequest, "view", pk=pk)
    choice = request.POST.get("decision", "")
    if choice not in {"approve", "reject"}:
        messages.error(request, _("Choose to approve or to reject the removal."))
        return redirect("evidence:removal_detail", pk=removal.pk)
    decide = removals.approve_removal if choice == "approve" else removals.reject_removal
    try:
        decide(user, removal, request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evidence:removal_detail", pk=removal.pk)
    if choice == "approve":
        messages.success(request, _("Removal approved: the item is now a tombstone."))
    else:
        messages.success(request, _("Removal rejected: nothing was removed."))
    return redirect("evidence:removal_detail", pk=removal.pk)
