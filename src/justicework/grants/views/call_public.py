"""The calls as applicants read them: the list of open calls and a call's page (its text in
the reader's language, dates in the call's time zone and the reader's, eligibility, criteria
with weights, amounts and the maximum per third party, the changes since publication and the
published questions and answers), where a signed-in reader may ask a question.

A visitor who is not signed in is told how to register their organisation or sign in; the
calls themselves are for signed-in accounts (the policy)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.core.countries import country_name
from justicework.grants import actions_call_items as items
from justicework.grants.actions_calls import effective_status, is_open
from justicework.grants.fields import text_in
from justicework.grants.legal_forms import LegalForm
from justicework.grants.models import Call, CallAnswer, CallChange, RecipientCategory
from justicework.grants.views.call_forms import AskForm
from justicework.grants.views.call_staff import actor


@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    """Open and upcoming calls; the way in (register, sign in) for a visitor."""
    if not request.user.is_authenticated:
        return render(request, "grants/calls/welcome.html")
    now = timezone.now()
    calls = list(
        policy.visible(request.user, Call)
        .filter(status=Call.Status.PUBLISHED, closes_at__gt=now)
        .order_by("closes_at", "pk")
    )
    rows = [{"call": c, "title": text_in(c.title), "open": is_open(c, now)} for c in calls]
    return render(request, "grants/calls/list.html", {"rows": rows})


def _labels(codes: list[str], choices: Any) -> list[str]:
    known = dict(choices)
    return [str(known.get(code, code)) for code in codes]


def _call_context(request: HttpRequest, call: Call) -> dict[str, Any]:
    user = actor(request)
    language = get_language()
    criteria = list(call.criteria.all())
    return {
        "call": call,
        "title": text_in(call.title, language),
        "text": text_in(call.text, language),
        "status": effective_status(call),
        "status_label": Call.Status(effective_status(call)).label,
        "open": is_open(call),
        "activity_types": [text_in(a.get("title"), language) for a in call.activity_types],
        "categories": _labels(call.recipient_categories, RecipientCategory.choices),
        "legal_forms": _labels(call.legal_forms, LegalForm.choices),
        "countries": [country_name(code) for code in call.countries],
        "scored": [
            (c, text_in(c.title, language), text_in(c.guidance, language))
            for c in criteria
            if c.kind == "scored"
        ],
        "eligibility": [(c, text_in(c.title, language)) for c in criteria if c.kind != "scored"],
        "changes": list(policy.visible(user, CallChange).filter(call=call).order_by("changed_at")),
        "answers": [
            (text_in(a.question, language), text_in(a.answer, language), a.published_at)
            for a in policy.visible(user, CallAnswer)
            .filter(call=call, published_at__isnull=False)
            .order_by("published_at")
        ],
        "can_ask": bool(policy.can(user, "ask", call)),
        "can_manage": bool(policy.can(user, "change", call)),
        "ask_form": AskForm(),
    }


@require_GET
@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = policy.get_or_404(actor(request), Call.objects.select_related("programme"), pk=pk)
    return render(request, "grants/calls/detail.html", _call_context(request, call))


@require_POST
@login_required
def call_ask(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    call = policy.get_or_404(user, Call.objects.select_related("programme"), pk=pk)
    form = AskForm(request.POST)
    if form.is_valid():
        try:
            items.ask_question(
                user, call, text=form.cleaned_data["question"], language=get_language() or "en"
            )
        except ValidationError as exc:
            form.add_error("question", exc.messages)
        else:
            messages.success(
                request, _("Your question is sent. The answer is published here for everyone.")
            )
            return redirect("grants:call_detail", pk=call.pk)
    context = _call_context(request, call) | {"ask_form": form}
    return render(request, "grants/calls/detail.html", context, status=422)
