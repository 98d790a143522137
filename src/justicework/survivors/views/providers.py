"""The directory of service providers: the list with filters (country, kind, language), a new
provider, a provider's page and its edit form. Providers hold no person data (``"none"``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.survivors import actions, queries_support
from justicework.survivors.forms_support import ProviderFilterForm, ProviderForm
from justicework.survivors.models import ServiceProvider

PAGE_SIZE = 100


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran
    return user


def _organisation(request: HttpRequest) -> Organisation:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    organisation: Organisation = membership.organisation
    return organisation


def provider_data(form: ProviderForm) -> actions.ProviderData:
    data = form.cleaned_data
    return actions.ProviderData(
        name=data["name"], kind=data["kind"], country=data["country"], area=data["area"],
        languages=list(data["languages"]), accessibility=data["accessibility"],
        contact=data["contact"], opening_hours=data["opening_hours"],
        referral_requirements=data["referral_requirements"], shared=data["shared"],
        active=data["active"],
    )  # fmt: skip


def _apply(form: ProviderForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_GET
@login_required
def provider_list(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    if not user.active_memberships():
        raise Http404
    filters = ProviderFilterForm(request.GET or None)
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    found = queries_support.providers(
        user,
        queries_support.ProviderFilter(
            country=chosen.get("country", ""),
            kind=chosen.get("kind", ""),
            language=chosen.get("language", ""),
        ),
    )
    may_add = bool(policy.can(user, "manage_providers", _organisation(request)))
    return render(
        request,
        "survivors/provider_list.html",
        {"providers": list(found[:PAGE_SIZE]), "filters": filters, "may_add": may_add},
    )


def _edit(
    request: HttpRequest, provider: ServiceProvider | None, organisation: Organisation
) -> HttpResponse:
    initial: dict[str, Any] = {"active": True}
    if provider is not None:
        initial = {
            f: getattr(provider, f) for f in ProviderForm.base_fields if f != "languages"
        } | {"languages": provider.language_codes}
    form = ProviderForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if provider is None:
                    saved = actions.create_provider(
                        _actor(request), organisation, provider_data(form)
                    )
                else:
                    saved = actions.update_provider(_actor(request), provider, provider_data(form))
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("Provider saved."))
                return redirect("survivors:provider_detail", pk=saved.pk)
        status = 422
    context = {"form": form, "provider": provider}
    return render(request, "survivors/provider_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def provider_new(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if not policy.can(request.user, "manage_providers", organisation):
        raise Http404
    return _edit(request, None, organisation)


@require_http_methods(["GET", "POST"])
@login_required
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    provider = policy.get_or_404(request.user, ServiceProvider, "manage", pk=pk)
    return _edit(request, provider, provider.organisation)


@require_GET
@login_required
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = policy.get_or_404(
        request.user, ServiceProvider.objects.select_related("organisation"), "view", pk=pk
    )
    may_edit = bool(policy.can(request.user, "manage", provider))
    return render(
        request, "survivors/provider_detail.html", {"provider": provider, "may_edit": may_edit}
    )
