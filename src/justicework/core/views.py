"""My account, my API tokens, and switching the active organisation."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from justicework.core import actions, policy
from justicework.core.forms import TokenForm
from justicework.core.middleware import ACTIVE_ORG_SESSION_KEY
from justicework.core.models import ApiToken, User


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required: never anonymous here


@login_required
def account(request: HttpRequest) -> HttpResponse:
    from allauth.mfa.models import Authenticator

    user = _user(request)
    authenticators = Authenticator.objects.filter(user=user).order_by("type")
    return render(
        request,
        "core/account.html",
        {
            "account_user": user,
            "account_memberships": user.active_memberships(),
            "authenticators": authenticators,
            "token_count": policy.visible(user, ApiToken, "view")
            .filter(revoked_at__isnull=True)
            .count(),
        },
    )


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List my tokens; create one (its secret is shown on this response only)."""
    user = _user(request)
    secret = None
    created = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                created, secret = actions.create_token(user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                form = TokenForm()
    else:
        form = TokenForm()
    listed = policy.visible(user, ApiToken, "view").order_by("-created_at", "-pk")
    return render(
        request,
        "core/tokens.html",
        {"form": form, "tokens": listed, "secret": secret, "created": created},
        status=422 if request.method == "POST" and secret is None else 200,
    )


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    token = policy.get_or_404(user, ApiToken, "revoke", pk=pk)
    actions.revoke_token(user, token)
    if request.headers.get("HX-Request") == "true":
        return render(request, "core/partials/token_row.html", {"token": token})
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("core:tokens")


@require_POST
@login_required
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Make another of my organisations the active one. Not a member: 404."""
    user = _user(request)
    try:
        wanted = int(request.POST.get("organisation", ""))
    except ValueError as exc:
        raise Http404 from exc
    membership = next((m for m in user.active_memberships() if m.organisation_id == wanted), None)
    if membership is None:
        raise Http404
    request.session[ACTIVE_ORG_SESSION_KEY] = membership.organisation_id
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)
