"""Identity access: asking for need-to-know on a person, the deciders' queue (approve with an
expiry, refuse with a reason), and need-to-know on a set of persons in one decision (an import's
persons, or the persons of the incident list's current search and filters).

Every read is the policy's (``visible``/``get_or_404``), every write an action
(``request_identity_access``, ``decide_identity_request``, ``grant_need_to_know_for_set``),
which checks the policy again and writes the audit entry. No identity is read here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.violations import actions, rules, views
from justicework.violations.forms import AccessRequestForm, DecisionForm, default_expiry
from justicework.violations.models import IdentityAccessRequest, Person
from justicework.violations.views._common import active_organisation, actor, apply_errors

PSEUDONYMOUS = ("id", "code", "status", "organisation_id")


def _until(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def access_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    """What the person page says to someone who may not open the identity: who grants it, the
    request form (when they may ask) and their latest requests with the outcome."""
    user = request.user
    mine = list(
        policy.visible(user, IdentityAccessRequest, "view")
        .filter(person=person, requester_id=user.pk)
        .select_related("decided_by")
        .order_by("-pk")[:3]
    )
    waiting = any(r.status == IdentityAccessRequest.Status.PENDING for r in mine)
    may_ask = not waiting and bool(policy.can(user, "request_identity_access", person))
    deciders = (
        rules.identity_deciders(person.organisation_id)
        .select_related("user")
        .order_by("role", "user__email")[:10]
    )
    return {
        "my_requests": mine,
        "request_form": AccessRequestForm() if may_ask else None,
        "deciders": [(m.user.display_name, m.get_role_display()) for m in deciders],
    }


@require_POST
@login_required
def person_access_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for need-to-know on this person's identity, with a reason."""
    person = policy.get_or_404(request.user, Person.objects.only(*PSEUDONYMOUS), "view", pk=pk)
    policy.require(request.user, "request_identity_access", person)
    form = AccessRequestForm(request.POST)
    if form.is_valid():
        try:
            actions.request_identity_access(actor(request), person, form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent. You will see the decision here."))
            return redirect("violations:person_detail", pk=person.pk)
    for error in form.errors.get("reason", []):
        messages.error(request, str(error))
    return redirect("violations:person_detail", pk=person.pk)


def waiting_requests(user: Any) -> QuerySet[IdentityAccessRequest]:
    """The requests waiting for ``user``'s decision: the queue's rows, and the dashboard's
    count of them (``views.cards.work_card``)."""
    return policy.visible(user, IdentityAccessRequest, "decide").filter(
        status=IdentityAccessRequest.Status.PENDING
    )


def _queue(user: Any) -> QuerySet[IdentityAccessRequest]:
    return (
        waiting_requests(user)
        .select_related("person", "requester")
        .only(
            "id",
            "organisation_id",
            "reason",
            "status",
            "created_at",
            "requester_id",
            "requester__email",
            "requester__display_name",
            "person__id",
            "person__code",
            "person__organisation_id",
        )
        .order_by("created_at", "pk")
    )


def _queue_page(
    request: HttpRequest,
    forms: dict[int, DecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    pending = list(_queue(user)[: views.SUMMARY_LIMIT])
    for item in pending:
        item.form = (forms or {}).get(item.pk) or DecisionForm(  # type: ignore[attr-defined]
            initial={"expires_on": default_expiry()}, prefix=f"r{item.pk}"
        )
    mine = list(
        policy.visible(user, IdentityAccessRequest, "view")
        .filter(requester_id=user.pk)
        .select_related("person", "decided_by")
        .only(
            "id",
            "organisation_id",
            "reason",
            "status",
            "created_at",
            "decided_at",
            "decision_note",
            "requester_id",
            "decided_by__display_name",
            "decided_by__email",
            "person__id",
            "person__code",
            "person__organisation_id",
        )
        .order_by("-pk")[:50]
    )
    organisation = active_organisation(request)
    can_decide = organisation is not None and bool(
        policy.can(user, "decide_identity_requests", organisation)
    )
    return render(
        request,
        "violations/access_requests.html",
        {"pending": pending, "mine": mine, "can_decide": can_decide},
        status=status,
    )


@require_GET
@login_required
def access_request_queue(request: HttpRequest) -> HttpResponse:
    """The requests waiting for the user's decision (deciders) and the user's own requests
    with their outcome (everyone)."""
    return _queue_page(request)


@require_POST
@login_required
def access_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve (until a day) or refuse (with a note) one waiting request."""
    item = policy.get_or_404(
        request.user,
        IdentityAccessRequest.objects.select_related("person", "requester"),
        "decide",
        pk=pk,
    )
    form = DecisionForm(request.POST, prefix=f"r{item.pk}")
    if form.is_valid():
        data = form.cleaned_data
        approve = data["decision"] == "approve"
        try:
            actions.decide_identity_request(
                actor(request),
                item,
                approve=approve,
                note=data.get("note") or "",
                expires_at=_until(data["expires_on"]) if approve else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("violations:access_request_queue")
    return _queue_page(request, forms={item.pk: form}, status=422)
