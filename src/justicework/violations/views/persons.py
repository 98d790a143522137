"""Persons: the pseudonymous list and page, creating one with the duplicate warning, the
audited identity reveal and need-to-know grants.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.core.models import AccessGrant, Membership, Organisation, User
from justicework.core.uses import declares
from justicework.violations import actions, duplicates, rules, views
from justicework.violations.forms import GrantForm, PersonForm, RevealForm
from justicework.violations.models import Person, PersonRole
from justicework.violations.views import identity_access, lookups
from justicework.violations.views._common import (
    active_organisation,
    actor,
    apply_errors,
    require_create,
)
from justicework.violations.views.identity_text import compare_rows, identity_rows


def _name_matches(request: HttpRequest, text: str) -> list[int]:
    """Persons of the active organisation found by ``text`` as a name (blind indexes, only
    those the user may open; audited by the action). Nothing for code-like text."""
    organisation = active_organisation(request)
    if organisation is None or len(text) < 2 or lookups.CODE_LIKE.match(text):
        return []
    return actions.find_persons_by_name(
        actor(request), organisation, text, limit=views.PAGE_SIZE
    ).ids


@require_GET
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """Persons by pseudonym only: no identity field is even loaded from the database.
    ``?q=`` finds a code by its start and, for those who may open identities, a name (a
    person found by name is marked, never named here)."""
    queryset = (
        policy.visible(request.user, Person, "view")
        .select_related("organisation")
        .only("id", "code", "status", "organisation_id", "organisation__name", "created_at")
        .order_by("-pk")
    )
    text = (request.GET.get("q") or request.GET.get("code") or "").strip()[:200]
    by_name: list[int] = []
    if text:
        by_name = _name_matches(request, text)
        queryset = queryset.filter(Q(code__istartswith=text[:16]) | Q(pk__in=by_name))
    after = request.GET.get("after", "")
    if after.isdigit():
        queryset = queryset.filter(pk__lt=int(after))
    rows = list(queryset[: views.PAGE_SIZE + 1])
    has_more = len(rows) > views.PAGE_SIZE
    rows = rows[: views.PAGE_SIZE]
    for row in rows:
        row.found_by_name = row.pk in by_name  # type: ignore[attr-defined]  # display-only
    next_url = ""
    if has_more and rows:
        query = urlencode({"q": text, "after": str(rows[-1].pk)})
        next_url = f"{reverse('violations:person_list')}?{query}"
    organisation = active_organisation(request)
    return render(
        request,
        "violations/person_list.html",
        {
            "persons": rows,
            "code": text,
            "next_url": next_url,
            "is_later_page": after.isdigit(),
            "can_create": organisation is not None
            and bool(policy.can(request.user, "create_person", organisation)),
            "can_grant_set": organisation is not None
            and bool(policy.can(request.user, "grant_need_to_know_set", organisation)),
        },
    )


@dataclass(frozen=True)
class Created:
    """What a submitted person form came to: the person, or the form to show again (with the
    duplicate warning when there is one) and its status."""

    person: Person | None = None
    check: duplicates.DuplicateCheck | None = None
    status: int = 422
    retry_after: int | None = None


def create_from_form(request: HttpRequest, organisation: Organisation, form: PersonForm) -> Created:
    """Validate ``form``, run the duplicate check and create the person unless a possible
    duplicate is not yet confirmed as a different person. Shared by the page and the inline
    panel of the pickers."""
    if not form.is_valid():
        return Created()
    try:
        check = _duplicate_check(request, organisation, form)
    except duplicates.RateLimited as exc:
        form.add_error(None, str(exc))
        return Created(status=429, retry_after=exc.wait)
    if check is not None and check.possible_duplicate and not form.cleaned_data["confirm_new"]:
        form.add_error(
            "confirm_new",
            _(
                "This person may already be recorded. Check the possible duplicates "
                "below; tick the box if this is a different person."
            ),
        )
        return Created(check=check)
    try:
        person = actions.create_person(
            actor(request),
            organisation,
            status=form.cleaned_data["status"],
            **_identity_from(form),
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return Created()
    return Created(person=person, status=201)


@require_http_methods(["GET", "POST"])
@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    organisation = require_create(request, "create_person")
    if request.method != "POST":
        return _person_form(request, organisation, PersonForm(), None, status=200)
    form = PersonForm(request.POST)
    if request.POST.get("compare"):
        return _compare(request, organisation, form, request.POST["compare"])
    created = create_from_form(request, organisation, form)
    if created.person is None:
        response = _person_form(request, organisation, form, created.check, created.status)
        if created.retry_after is not None:
            response["Retry-After"] = str(created.retry_after)
        return response
    person = created.person
    messages.success(request, _("Person recorded as %(code)s.") % {"code": person.code})
    return redirect("violations:person_detail", pk=person.pk)


def _compare(
    request: HttpRequest, organisation: Organisation, form: PersonForm, code: str
) -> HttpResponse:
    """What was typed beside a possible duplicate's stored identity, for a user who may open
    it (the stored identity is opened through the audited reveal). Nothing is recorded."""
    if not form.is_valid():
        return _person_form(request, organisation, form, None)
    try:
        check = _duplicate_check(request, organisation, form)
    except duplicates.RateLimited as exc:
        form.add_error(None, str(exc))
        return _person_form(request, organisation, form, None, status=429)
    person = (
        policy.visible(request.user, Person, "reveal_identity")
        .filter(organisation=organisation, code=code.strip().upper())
        .first()
    )
    if check is None or person is None or person.code not in check.codes:
        form.add_error(
            None, _("This person cannot be compared: not a possible duplicate you may open.")
        )
        return _person_form(request, organisation, form, check)
    stored = actions.reveal_identity(actor(request), person)
    rows = compare_rows(form.identity_input(), stored)
    return _person_form(
        request, organisation, form, check, status=200, compare=rows, compare_code=person.code
    )


def duplicate_persons(
    request: HttpRequest, organisation: Organisation, check: duplicates.DuplicateCheck | None
) -> list[Person]:
    """The disclosed possible duplicates, by code (pseudonymous fields only)."""
    if check is None:
        return []
    persons = list(
        policy.visible(request.user, Person, "view")
        .filter(organisation=organisation, code__in=check.codes)
        .only("id", "code", "organisation_id")
        .order_by("code")
    )
    for person in persons:
        person.matched_labels = ", ".join(  # type: ignore[attr-defined]  # display-only
            str(duplicates.FIELD_LABELS[name]) for name in check.matched.get(person.code, [])
        )
    return persons


def _person_form(
    request: HttpRequest,
    organisation: Organisation,
    form: PersonForm,
    check: duplicates.DuplicateCheck | None,
    status: int = 422,
    **extra: Any,
) -> HttpResponse:
    shown = duplicate_persons(request, organisation, check)
    response = render(
        request,
        "violations/person_form.html",
        {"form": form, "check": check, "duplicates": shown, "organisation": organisation, **extra},
        status=status,
    )
    if extra.get("compare"):
        response["Cache-Control"] = "no-store"
    return response


def _duplicate_check(
    request: HttpRequest, organisation: Organisation, form: PersonForm
) -> duplicates.DuplicateCheck | None:
    """The audited, rate-limited duplicate check, when the form gives at least two identifying
    fields (fewer: no look-up at all, nothing to link)."""
    keys = _match_keys(form)
    given = sum(bool(keys[k]) for k in ("name", "dob", "documents"))
    if given < duplicates.MIN_FIELDS:
        return None
    try:
        return actions.check_duplicates(actor(request), organisation, **keys)
    except ValidationError:
        return None  # e.g. names that normalise to nothing: not enough to look up


def _identity_from(form: PersonForm) -> dict[str, Any]:
    data = form.cleaned_data
    identity: dict[str, Any] = {}
    for name in ["full_name", "date_of_birth", "sex", "gender_identity", "ethnicity", "religion"]:
        if data.get(name):
            identity[name] = data[name]
    if form.other_name_list():
        identity["other_names"] = form.other_name_list()
    if data.get("nationality"):
        identity["nationalities"] = [data["nationality"]]
    if data.get("contact"):
        identity["contacts"] = [data["contact"]]
    if data.get("document_number"):
        identity["identity_documents"] = [{"number": data["document_number"]}]
    return identity


def _match_keys(form: PersonForm) -> dict[str, Any]:
    data = form.cleaned_data
    names = [n for n in [data.get("full_name"), *form.other_name_list()] if n]
    documents = [data["document_number"]] if data.get("document_number") else []
    return {"name": names, "dob": data.get("date_of_birth"), "documents": documents}


def _person_roles(user: Requester, person: Person) -> list[PersonRole]:
    """The acts the person is linked to (newest first, ``SUMMARY_LIMIT`` + 1 to tell "more")."""
    return list(
        policy.visible(user, PersonRole, "view")
        .filter(person=person)
        .select_related("violation", "violation__incident")
        .only(
            "id",
            "role",
            "person_id",
            "violation__id",
            "violation__type",
            "violation__start_date",
            "violation__end_date",
            "violation__date_precision",
            "violation__date_approximate",
            "violation__incident__id",
            "violation__incident__title",
        )
        .order_by("-pk")[: views.SUMMARY_LIMIT + 1]
    )


def _person_page(
    request: HttpRequest,
    person: Person,
    *,
    identity: list[tuple[str, str]] | None,
    form: RevealForm,
    status: int = 200,
    grant_form: GrantForm | None = None,
) -> HttpResponse:
    user = request.user
    roles = _person_roles(user, person)
    decision = policy.can(user, "reveal_identity", person)
    can_grant = bool(policy.can(user, "grant_need_to_know", person))
    grants: list[AccessGrant] = []
    if can_grant:
        grants = list(
            policy.visible(user, AccessGrant, "revoke")
            .filter(
                object_type=Person._meta.label_lower,
                object_id=str(person.pk),
                revoked_at__isnull=True,
            )
            .select_related("user")
            .order_by("-pk")[: views.SUMMARY_LIMIT]
        )
    response = render(
        request,
        "violations/person_detail.html",
        {
            "can_grant": can_grant,
            "grants": grants,
            "grant_form": grant_form
            if grant_form is not None
            else (GrantForm(members=_grantable_members(user, person)) if can_grant else None),
            "person": person,
            "roles": roles[: views.SUMMARY_LIMIT],
            "more_roles": len(roles) > views.SUMMARY_LIMIT,
            "identity": identity,
            "form": form,
            "can_reveal": bool(decision),
            "can_correct": bool(decision) and bool(policy.can(user, "change_identity", person)),
            "reveal_reason": decision.reason,
            **(identity_access.access_context(request, person) if not decision else {}),
        },
        status=status,
    )
    if identity is not None:
        response["Cache-Control"] = "no-store"
    return response


PSEUDONYMOUS_FIELDS = (
    "id",
    "code",
    "status",
    "organisation_id",
    "organisation__name",
    "created_at",
)


@require_GET
@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The pseudonymous page: identity fields are not even loaded (nor decrypted)."""
    person = policy.get_or_404(
        request.user,
        Person.objects.select_related("organisation").only(*PSEUDONYMOUS_FIELDS),
        "view",
        pk=pk,
    )
    return _person_page(request, person, identity=None, form=RevealForm())


@require_POST
@login_required
@declares("violations.identity")
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the identity: needs ``reveal_identity`` (role + need-to-know grant) and an explicit
    confirmation; ``actions.reveal_identity`` writes the audit entry. The identity is shown in
    this response only (``no-store``), never kept in the session."""
    person = policy.get_or_404(
        request.user, Person.objects.select_related("organisation"), "view", pk=pk
    )
    decision = policy.can(request.user, "reveal_identity", person)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _person_page(request, person, identity=None, form=form, status=422)
    identity = actions.reveal_identity(actor(request), person)
    return _person_page(request, person, identity=identity_rows(identity), form=RevealForm())


def _grantable_members(user: Requester, person: Person) -> list[tuple[int, str]]:
    """Members of the person's organisation whose role may reveal identities."""
    memberships = rules.members_who_may_reveal(
        policy.visible(user, Membership, "view").filter(organisation_id=person.organisation_id)
    )
    return [
        (m.user_id, f"{m.user} ({m.get_role_display()})")
        for m in memberships.select_related("user").order_by("user__email")
    ]


@require_POST
@login_required
def person_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a member need-to-know on this identity (``grant_need_to_know``), audited by the
    action. Only the person's code is shown here; the grant does not open the identity."""
    person = policy.get_or_404(
        request.user,
        Person.objects.select_related("organisation").only(*PSEUDONYMOUS_FIELDS),
        "view",
        pk=pk,
    )
    policy.require(request.user, "grant_need_to_know", person)
    members = _grantable_members(request.user, person)
    form = GrantForm(request.POST, members=members)
    if form.is_valid():
        grantee = policy.get_or_404(request.user, User, "view", pk=form.cleaned_data["user"])
        expires_on = form.cleaned_data.get("expires_on")
        expires_at = (
            dt.datetime.combine(expires_on, dt.time.min, tzinfo=dt.UTC) if expires_on else None
        )
        try:
            actions.grant_need_to_know(
                actor(request), grantee, person, form.cleaned_data["reason"], expires_at
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Need-to-know granted to %(user)s.") % {"user": grantee})
            return redirect("violations:person_detail", pk=person.pk)
    return _person_page(
        request, person, identity=None, form=RevealForm(), status=422, grant_form=form
    )


@require_POST
@login_required
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a need-to-know grant on a person (admins of the owning organisation)."""
    grant = policy.get_or_404(
        request.user,
        AccessGrant.objects.filter(object_type=Person._meta.label_lower),
        "revoke",
        pk=pk,
    )
    actions.revoke_grant(actor(request), grant)
    messages.success(request, _("Grant revoked."))
    person_pk = int(grant.object_id) if grant.object_id.isdigit() else 0
    return redirect("violations:person_detail", pk=person_pk)
