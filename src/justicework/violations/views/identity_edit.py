"""Comparing two stored identities side by side (both openings audited), and correcting a
person's identity on the web (``change_identity``: the right to edit records
and a current need-to-know grant). The form starts from the identity opened through the audited
reveal; only the fields that really change are written, by ``actions.update_person``, which
cleans them with the identity schema and audits the field names, never the values. Both the
form and its answer are ``no-store``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from justicework.core import policy
from justicework.core.uses import declares
from justicework.violations import actions
from justicework.violations.forms.identity_edit import IdentityEditForm
from justicework.violations.models import Person
from justicework.violations.views._common import actor, apply_errors
from justicework.violations.views.identity_text import compare_rows


@require_http_methods(["GET", "POST"])
@login_required
@declares("violations.identity")
def person_identity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = policy.get_or_404(
        request.user, Person.objects.select_related("organisation"), "view", pk=pk
    )
    decision = policy.can(request.user, "change_identity", person)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    current = actions.reveal_identity(actor(request), person)
    status = 200
    if request.method == "POST":
        form = IdentityEditForm(request.POST, current=current)
        if form.is_valid():
            changes = form.changes()
            if not changes:
                messages.info(request, _("Nothing changed."))
                return redirect("violations:person_detail", pk=person.pk)
            try:
                actions.update_person(actor(request), person, **changes)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Identity corrected (%(count)s fields; recorded in the audit log).")
                    % {"count": len(changes)},
                )
                return redirect("violations:person_detail", pk=person.pk)
        status = 422
    else:
        form = IdentityEditForm(current=current)
    response = render(
        request,
        "violations/identity_form.html",
        {"form": form, "person": person},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
@declares("violations.identity")
def person_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two persons of one organisation side by side (``other``: the second one's code), for a
    user who may open both identities; both openings are audited. Anything else is refused
    without opening either."""
    person = policy.get_or_404(request.user, Person, "reveal_identity", pk=pk)
    code = request.POST.get("other", "").strip().upper()[:16]
    other = (
        policy.visible(request.user, Person, "reveal_identity")
        .filter(organisation_id=person.organisation_id, code=code)
        .exclude(pk=person.pk)
        .first()
    )
    if other is None or not policy.can(request.user, "reveal_identity", other):
        messages.error(
            request,
            _("No other person %(code)s whose identity you may open in this organisation.")
            % {"code": code},
        )
        return redirect("violations:person_detail", pk=person.pk)
    first = actions.reveal_identity(actor(request), person)
    second = actions.reveal_identity(actor(request), other)
    response = render(
        request,
        "violations/person_compare.html",
        {"person": person, "other": other, "rows": compare_rows(first, second)},
    )
    response["Cache-Control"] = "no-store"
    return response
