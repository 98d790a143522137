"""The survivor page: a survivor's own view, reached without an account with the one-time
code staff gave them (``page_codes``). Off unless ``JUSTICEWORK_SURVIVORS_PAGE``, and for an
organisation unless its admin turned it on (``SurvivorPageSwitch``): then its codes are
answered exactly as an unknown code, and its open visits end. A visit is
bound to one file and one code, lasts ``JUSTICEWORK_SURVIVORS_PAGE_SESSION_MINUTES``, and ends
as soon as the code is revoked or expires. The page shows no name: the uses the survivor gave
(each with a button to withdraw it) and the information meant for them, in the language
stored on their file. Plain HTML forms, no script.

The access decision here is the code, not ``core.policy`` (which decides for users; the
survivor has none): :func:`_visit` checks it on every request. Runs under the use
``survivors.own_view`` (no consent needed beyond being the survivor)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from justicework.survivors import actions, page_codes, queries, queries_information
from justicework.survivors.models import ConsentDecision, SurvivorPageCode

SESSION_KEY = "jw_survivor_page"
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _enabled() -> None:
    if not settings.SURVIVORS_PAGE:
        raise Http404


def _visit(request: HttpRequest) -> SurvivorPageCode | None:
    """The code of the visit in this session, if it is still open and the code still works."""
    visit = request.session.get(SESSION_KEY)
    if not isinstance(visit, dict) or float(visit.get("until", 0)) < time.time():
        request.session.pop(SESSION_KEY, None)
        return None
    code = (
        SurvivorPageCode.objects.select_related("file")
        .filter(pk=int(visit.get("code") or 0), file_id=int(visit.get("file") or 0))
        .first()
    )
    if code is None or not code.usable or not page_codes.page_on(code.organisation_id):
        request.session.pop(SESSION_KEY, None)
        return None
    return code


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, language: str = "",
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    language = language if language in LANGUAGES else translation.get_language() or "en"
    with translation.override(language):
        response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # "no-referrer" sends Origin: null: CSRF fails
    response["X-Robots-Tag"] = "noindex"
    return response


def _sign_in(request: HttpRequest, typed: str) -> tuple[SurvivorPageCode | None, int]:
    """The code ``typed`` opens (and the status to answer with when it does not)."""
    parts = page_codes.split(typed)
    try:
        page_codes.charge_attempt(request, parts[0] if parts else None)
    except page_codes.TooManyAttempts:
        return None, 429
    if parts is None:
        return None, 403
    code = SurvivorPageCode.objects.select_related("file").filter(lookup=parts[0]).first()
    if code is None:
        return None, 403
    if not page_codes.page_on(code.organisation_id):  # as an unknown code: no secret checked
        actions.page.record_page_event(code, "refused_code", reason="page_off")
        return None, 403
    if not page_codes.secret_matches(parts[1], code.secret_hash):
        actions.page.record_page_event(code, "wrong_code")
        return None, 403
    if not code.usable:
        reason = "revoked" if code.revoked_at else "expired"
        actions.page.record_page_event(code, "refused_code", reason=reason)
        return None, 403
    return code, 200


@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest) -> HttpResponse:
    _enabled()
    if _visit(request) is not None:
        return redirect("survivor_page:home")
    if request.method == "GET":
        return _render(request, "survivors/page/enter.html", {})
    code, status = _sign_in(request, str(request.POST.get("code", ""))[:64])
    if code is None:
        error = (
            _("Too many attempts. Please wait and try again later.")
            if status == 429
            else _("This code does not open the page. Check it, or ask the person who gave it.")
        )
        return _render(request, "survivors/page/enter.html", {"error": error}, status=status)
    request.session.cycle_key()  # a new session id: nothing set before the code carries over
    until = time.time() + settings.SURVIVORS_PAGE_SESSION_MINUTES * 60
    request.session[SESSION_KEY] = {"code": code.pk, "file": code.file_id, "until": until}
    actions.page.record_page_event(code, "signed_in")
    return redirect("survivor_page:home")


def home(request: HttpRequest) -> HttpResponse:
    _enabled()
    code = _visit(request)
    if code is None:
        return redirect("survivor_page:enter")
    file = code.file
    given = [r for r in queries.current_uses(file) if r.answer == ConsentDecision.Answer.GIVEN]
    entries = queries_information.log(file, for_survivor=True, limit=50)
    actions.page.record_page_event(code, "viewed")
    context = {"given": given, "entries": entries}
    return _render(request, "survivors/page/home.html", context, language=file.preferred_language)


@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    _enabled()
    code = _visit(request)
    if code is None:
        return redirect("survivor_page:enter")
    scope = str(request.POST.get("scope", ""))
    qualifier = str(request.POST.get("qualifier", ""))
    with translation.override(code.file.preferred_language or None):
        try:
            actions.withdraw_by_survivor(code, scope, qualifier)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done. From now on this is no longer used."))
    return redirect("survivor_page:home")


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    _enabled()
    code = _visit(request)
    request.session.pop(SESSION_KEY, None)
    if code is not None:
        actions.page.record_page_event(code, "left")
    return redirect("survivor_page:enter")
