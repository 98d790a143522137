"""Pages of the web shell: dashboard, organisations and members, the audit log.

Reads go through ``justicework.core.policy``; writes through ``justicework.core.actions``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.audit.queries import entries_for
from justicework.audit.verify import verify_chain
from justicework.core import actions, policy
from justicework.core.models import Membership, Organisation, User
from justicework.web import dashboard as dashboard_registry
from justicework.web.forms import (
    MemberAddForm,
    OrganisationCreateForm,
    OrganisationEditForm,
    RoleForm,
)

AUDIT_PAGE_SIZE = 50


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability; no login, no data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _add_errors(form: Form, exc: ValidationError) -> None:
    """Attach an action's ValidationError to the form: to the named field when the form has it,
    otherwise to the form as a whole."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Dashboard --------------------------------------------------------------------------------


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    cards = dashboard_registry.cards_for(request)
    return render(request, "web/dashboard.html", {"cards": cards})


# --- Organisations ----------------------------------------------------------------------------


@require_GET
@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = list(policy.visible(request.user, Organisation, "view").order_by("name"))
    return render(
        request,
        "web/organisation_list.html",
        {
            "organisations": organisations,
            "can_create": bool(policy.can(request.user, "create", Organisation)),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    decision = policy.can(request.user, "create", Organisation)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = actions.create_organisation(
                request.user,  # type: ignore[arg-type]  # login_required: our User
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                countries=form.cleaned_data["countries"],
                slug=form.cleaned_data["slug"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Organisation “%(name)s” created.") % {"name": org.name})
            return redirect("web:organisation_detail", pk=org.pk)
    return render(request, "web/organisation_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = policy.get_or_404(request.user, Organisation, "manage", pk=pk)
    initial = {"name": org.name, "kind": org.kind, "countries": org.countries}
    form = OrganisationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
        try:
            if changes:
                actions.update_organisation(
                    request.user,  # type: ignore[arg-type]  # login_required: our User
                    org,
                    **changes,
                )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Organisation “%(name)s” saved.") % {"name": org.name})
            return redirect("web:organisation_detail", pk=org.pk)
    return render(request, "web/organisation_edit.html", {"organisation": org, "form": form})


@require_GET
@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = policy.get_or_404(request.user, Organisation, "view", pk=pk)
    user = request.user
    can_members = bool(policy.can(user, "view_members", org))
    members: list[Membership] = []
    if can_members:
        members = list(
            policy.visible(user, Membership, "view")
            .filter(organisation=org)
            .select_related("user")
            .order_by("user__display_name", "user__email")
        )
    context: dict[str, Any] = {
        "organisation": org,
        "members": members,
        "can_members": can_members,
        "can_manage": bool(policy.can(user, "manage_members", org)),
        "can_edit": bool(policy.can(user, "manage", org)),
        "can_audit": bool(policy.can(user, "view_audit", org)),
        "role_form": RoleForm(),
    }
    return render(request, "web/organisation_detail.html", context)


# --- Members ----------------------------------------------------------------------------------


def _invite(request: HttpRequest, email: str) -> bool:
    """Send the new member allauth's password-setting link (the reset-password e-mail)."""
    from allauth.account.forms import ResetPasswordForm

    form = ResetPasswordForm(data={"email": email})
    if not form.is_valid():
        return False
    form.save(request)  # house-rules: not a model save (sends the e-mail)
    return True


@require_http_methods(["GET", "POST"])
@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = policy.get_or_404(request.user, Organisation, "manage_members", pk=pk)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = User.objects.normalize_email(form.cleaned_data["email"]).lower()
        # Adding a person who already has an account: the e-mail address is the only handle an
        # admin has on them; creating the account otherwise (with no usable password).
        person = User.objects.filter(email__iexact=email).first()
        created = person is None
        try:
            if person is None:
                person = actions.create_user(
                    request.user,  # type: ignore[arg-type]  # login_required: our User
                    email=email,
                    password=None,
                    display_name=form.cleaned_data["display_name"],
                )
            actions.add_member(
                request.user,  # type: ignore[arg-type]  # login_required: our User
                org,
                person,
                form.cleaned_data["role"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if created and _invite(request, email):
                messages.success(
                    request,
                    _("%(email)s was added and has been sent a link to set a password.")
                    % {"email": email},
                )
            else:
                messages.success(request, _("%(email)s was added.") % {"email": email})
            return redirect("web:organisation_detail", pk=org.pk)
    return render(request, "web/member_add.html", {"organisation": org, "form": form})


@require_POST
@login_required
def member_change_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = policy.get_or_404(
        request.user, Membership.objects.select_related("user", "organisation"), "manage", pk=pk
    )
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            actions.change_role(
                request.user,  # type: ignore[arg-type]  # login_required: our User
                membership,
                form.cleaned_data["role"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s.")
                % {"person": membership.user, "role": membership.get_role_display()},
            )
    else:
        messages.error(request, _("Choose a role from the list."))
    return redirect("web:organisation_detail", pk=membership.organisation_id)


@require_http_methods(["GET", "POST"])
@login_required
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = policy.get_or_404(
        request.user, Membership.objects.select_related("user", "organisation"), "manage", pk=pk
    )
    if request.method == "POST":
        org_id = membership.organisation_id
        person = str(membership.user)
        try:
            actions.remove_member(
                request.user,  # type: ignore[arg-type]  # login_required: our User
                membership,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(person)s is no longer a member.") % {"person": person})
        return redirect("web:organisation_detail", pk=org_id)
    return render(request, "web/member_remove.html", {"membership": membership})


# --- Audit log --------------------------------------------------------------------------------


@require_GET
@login_required
def audit_active(request: HttpRequest) -> HttpResponse:
    """The active organisation's audit log (the header link)."""
    membership: Any = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    org = policy.get_or_404(request.user, Organisation, "view_audit", pk=membership.organisation_id)
    return redirect("web:organisation_audit", pk=org.pk)


@require_GET
@login_required
def organisation_audit(request: HttpRequest, pk: int) -> HttpResponse:
    org = policy.get_or_404(request.user, Organisation, "view_audit", pk=pk)
    entries = entries_for(request.user, org)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/organisation_audit.html", {"organisation": org, "page": page})


@require_POST
@login_required
def organisation_audit_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Walk the whole hash chain; answers an HTMX fragment (or the full page without HTMX)."""
    org = policy.get_or_404(request.user, Organisation, "view_audit", pk=pk)
    result = verify_chain()
    context = {"organisation": org, "result": result}
    if getattr(request, "htmx", False):
        return render(request, "web/partials/audit_verify.html", context)
    entries = entries_for(request.user, org)
    context["page"] = Paginator(entries, AUDIT_PAGE_SIZE).get_page(1)
    return render(request, "web/organisation_audit.html", context)
