"""The public "register your organisation" page: a person registers their organisation as an
applicant (``actions_registration``) and is signed in; counted against allauth's sign-up rate
limit per IP (``ACCOUNT_RATE_LIMITS["signup"]``)."""

from __future__ import annotations

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from justicework.grants.actions_registration import Registration, register_applicant
from justicework.grants.views.call_forms import RegistrationForm
from justicework.grants.views.call_staff import apply_errors


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("grants:call_list")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.consume(request, action="signup"):
            form.add_error(None, _("Too many registrations from here; try again in a minute."))
            return render(request, "grants/calls/register.html", {"form": form}, status=429)
        if form.is_valid():
            data = Registration(**form.cleaned_data, language=get_language() or "")
            try:
                user, _entity = register_applicant(data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                messages.success(request, _("Your organisation is registered. Welcome."))
                return redirect("grants:call_list")
    return render(
        request,
        "grants/calls/register.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )
