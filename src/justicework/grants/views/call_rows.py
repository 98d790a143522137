"""The call editor's rows: award criteria and form questions, each row its own small form
(save, remove, move up or down) and a blank row to add one; and the questions asked about the
call, answered and published by staff. After publication each change asks why (logged)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from justicework.core import policy
from justicework.grants import actions_call_items as items
from justicework.grants import actions_calls
from justicework.grants.models import Call, CallAnswer, Criterion, Question
from justicework.grants.views.call_forms import AnswerForm, CriterionForm, QuestionForm
from justicework.grants.views.call_staff import actor, apply_errors

KINDS: dict[str, tuple[type[Any], type[Any]]] = {
    "criterion": (Criterion, CriterionForm),
    "question": (Question, QuestionForm),
}


def _forms(call: Call, kind: str, bound: Any = None) -> list[Any]:
    model, form_class = KINDS[kind]
    rows = [
        bound
        if bound is not None and bound.instance.pk == row.pk
        else form_class(instance=row, prefix=f"{kind}-{row.pk}")
        for row in model.objects.filter(call=call)
    ]
    blank = bound if bound is not None and bound.instance.pk is None else None
    return [*rows, blank or form_class(instance=model(call=call), prefix=f"{kind}-new")]


def _move(user: Any, call: Call, model: type[Any], row: Any, step: int, note: str) -> None:
    codes = list(model.objects.filter(call=call).values_list("code", flat=True))
    index = codes.index(row.code)
    target = index + step
    if 0 <= target < len(codes):
        codes[index], codes[target] = codes[target], codes[index]
        items.reorder_items(user, call, model, codes, note=note)


def _row_post(request: HttpRequest, call: Call) -> tuple[str, Any]:
    """Apply one row's button; returns (kind, the bound form when it has errors)."""
    user = actor(request)
    kind = request.POST.get("kind", "")
    if kind not in KINDS:
        raise Http404
    model, form_class = KINDS[kind]
    row_id = request.POST.get("row", "new")
    row = (
        policy.get_or_404(user, model.objects.filter(call=call), "change", pk=row_id)
        if row_id != "new"
        else None
    )
    op = request.POST.get("op", "save")
    note = request.POST.get(f"{kind}-{row_id}-note", "")
    if op in ("up", "down", "remove") and row is not None:
        if op == "remove":
            items.remove_item(user, row, note=note)
        else:
            _move(user, call, model, row, -1 if op == "up" else 1, note)
        return kind, None
    form = form_class(request.POST, instance=row or model(call=call), prefix=f"{kind}-{row_id}")
    if not form.is_valid():
        return kind, form
    try:
        if row is None:
            items.add_item(user, call, model, note=note, **form.values())
        else:
            items.update_item(user, row, note=note, **form.values())
    except ValidationError as exc:
        apply_errors(form, exc)
        return kind, form
    return kind, None


@require_http_methods(["GET", "POST"])
@login_required
def call_items(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    call = policy.get_or_404(user, Call.objects.select_related("programme"), "change", pk=pk)
    bound: tuple[str, Any] = ("", None)
    if request.method == "POST":
        try:
            bound = _row_post(request, call)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        if bound[1] is None:
            return redirect("grants:call_items", pk=call.pk)
    context = {
        "call": call,
        "effective": actions_calls.effective_status(call),
        "next_statuses": [
            (s, Call.Status(s).label)
            for s in actions_calls.TRANSITIONS[actions_calls.effective_status(call)]
        ],
        "logged": call.status != Call.Status.DRAFT,
        "criteria": _forms(call, "criterion", bound[1] if bound[0] == "criterion" else None),
        "questions": _forms(call, "question", bound[1] if bound[0] == "question" else None),
    }
    return render(request, "grants/calls/call_items.html", context, status=422 if bound[1] else 200)


@require_http_methods(["GET", "POST"])
@login_required
def call_answers(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    call = policy.get_or_404(user, Call, "change", pk=pk)
    entries = list(policy.visible(user, CallAnswer, "change").filter(call=call))
    forms = {e.pk: AnswerForm(entry=e, prefix=f"a{e.pk}") for e in entries}
    if request.method == "POST":
        entry = policy.get_or_404(
            user, CallAnswer.objects.filter(call=call), "change", pk=request.POST.get("entry")
        )
        form = AnswerForm(request.POST, entry=entry, prefix=f"a{entry.pk}")
        forms[entry.pk] = form
        if form.is_valid():
            try:
                items.answer_question(
                    user, entry, answer=form.text_value("answer"),
                    question=form.text_value("question"), publish=form.cleaned_data["publish"],
                )  # fmt: skip
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The answer is saved."))
                return redirect("grants:call_answers", pk=call.pk)
    rows = [(e, forms[e.pk]) for e in entries]
    return render(
        request,
        "grants/calls/call_answers.html",
        {"call": call, "rows": rows},
        status=422 if request.method == "POST" else 200,
    )
