"""Applications: "my applications", starting one from a published call, the editor (answers
saved as the applicant writes: an htmx autosave on change, and a save button without
JavaScript), submitting and withdrawing after a confirmation page, and the staff's read-only
list of a call's submitted applications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.core.models import User
from justicework.grants import actions_applications as actions
from justicework.grants.fields import text_in
from justicework.grants.models import Application, Call, LegalEntity
from justicework.grants.queries_applications import Filters, search_applications
from justicework.grants.rules_applications import may_list_submitted
from justicework.grants.views import application_context as ctx


def get_application(user: User, pk: int, action: str = "view") -> Application:
    rows = Application.objects.select_related("call", "applicant")
    return policy.get_or_404(user, rows, action, pk=pk)


def error_list(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for errors in exc.message_dict.values() for m in errors]
    return [str(m) for m in exc.messages]


@require_GET
@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    rows = list(search_applications(user, Filters(mine=True))[:500])
    listed = [(row, text_in(row.call.title)) for row in rows]
    return render(request, "grants/applications/my_list.html", {"rows": listed})


def _open_call(pk: int) -> Call:
    # A published call is public data (its pages and rules are the calls' part of the app).
    call = Call.objects.filter(pk=pk, status=Call.Status.PUBLISHED).first()
    if call is None:
        raise Http404
    return call


@require_http_methods(["GET", "POST"])
@login_required
def application_start(request: HttpRequest, call_pk: int) -> HttpResponse:
    user = signed_in(request)
    call = _open_call(call_pk)
    entities = list(policy.visible(user, LegalEntity, "apply").order_by("legal_name", "pk"))
    if not entities:
        raise Http404
    errors: list[str] = []
    if request.method == "POST":
        chosen = next((e for e in entities if str(e.pk) == request.POST.get("entity")), None)
        try:
            if chosen is None:
                raise ValidationError({"entity": _("Choose the organisation that applies.")})
            application = actions.start_application(
                user, chosen, call, title=request.POST.get("title", ""),
                language=request.POST.get("language", ""),
                currency=request.POST.get("currency", ""),
            )  # fmt: skip
        except ValidationError as exc:
            errors = error_list(exc)
        else:
            return redirect("grants:application_detail", application.pk)
    context = {
        "call": call, "call_title": text_in(call.title), "entities": entities, "errors": errors,
        "ui_languages": ctx.language_choices(), "currencies": ctx.currency_choices(),
        "values": request.POST,
    }  # fmt: skip
    return render(request, "grants/applications/start.html", context)


@require_GET
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = get_application(user, pk)
    context = ctx.editor_context(user, application)
    return render(request, "grants/applications/editor.html", context)


def _posted_answers(request: HttpRequest, application: Application) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for question in actions.questions_of(application.call):
        name = f"q-{question.code}"
        if name in request.POST:
            given[question.code] = request.POST[name]
    return given


@require_POST
@login_required
def application_save(request: HttpRequest, pk: int) -> HttpResponse:
    """The save button (no JavaScript needed): every answer of the form at once."""
    user = signed_in(request)
    application = get_application(user, pk)
    try:
        actions.save_answers(user, application, _posted_answers(request, application))
    except ValidationError as exc:
        context = ctx.editor_context(user, application, exc.message_dict)
        context["errors"] = error_list(exc)
        return render(request, "grants/applications/editor.html", context, status=400)
    messages.success(request, _("Your answers are saved."))
    return redirect("grants:application_detail", application.pk)


@require_POST
@login_required
def application_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: save what the applicant changed; answers with a small "saved at" fragment, or the
    errors naming the questions (nothing saved then)."""
    user = signed_in(request)
    application = get_application(user, pk)
    context: dict[str, Any] = {"errors": []}
    try:
        actions.save_answers(user, application, _posted_answers(request, application))
    except ValidationError as exc:
        context["errors"] = error_list(exc)
    except PermissionDenied as exc:
        context["errors"] = [str(exc)]
    else:
        zone = actions.applicant_zone(user, application.call)
        context["saved_at"] = f"{timezone.now().astimezone(zone):%H:%M:%S}"
    return render(request, "grants/applications/partials/saved.html", context)


@require_POST
@login_required
def application_details(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = get_application(user, pk)
    changes = {name: request.POST[name] for name in actions.DETAIL_FIELDS if name in request.POST}
    try:
        actions.update_application(user, application, **changes)
    except ValidationError as exc:
        for text in error_list(exc):
            messages.error(request, text)
    else:
        messages.success(request, _("The details are saved."))
    return redirect("grants:application_detail", application.pk)


def _confirm(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = signed_in(request)
    application = get_application(user, pk)
    policy.require(user, action, application)
    errors: list[str] = []
    if request.method == "POST":
        try:
            if action == "submit":
                actions.submit_application(user, application)
            else:
                actions.withdraw_application(user, application)
        except ValidationError as exc:
            errors = error_list(exc)
        else:
            done = (
                _("The application is submitted.")
                if action == "submit"
                else _("The application is withdrawn.")
            )
            messages.success(request, done)
            return redirect("grants:application_detail", application.pk)
    context = ctx.editor_context(user, application) | {"action": action, "errors": errors}
    return render(request, "grants/applications/confirm.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, "submit")


@require_http_methods(["GET", "POST"])
@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, "withdraw")


@require_GET
@login_required
def call_applications(request: HttpRequest, call_pk: int) -> HttpResponse:
    """The staff's read-only list of a call's submitted applications (404 for anyone else)."""
    user = signed_in(request)
    call = Call.objects.filter(pk=call_pk).exclude(status=Call.Status.DRAFT).first()
    if call is None:
        raise Http404
    if not may_list_submitted(user, call):
        raise Http404
    rows = list(search_applications(user, Filters(call_id=call.pk, submitted=True))[:2000])
    context = {"call": call, "call_title": text_in(call.title), "rows": rows}
    return render(request, "grants/applications/call_list.html", context)
