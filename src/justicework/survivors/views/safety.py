"""The safety assessment page of a survivor (reading it is an audited read), recording a new
one (it supersedes the last), and the safety warning on the person's page. Runs under the use
``survivors.safety`` (documentation: a withdrawn consent closes the page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.core.models import User
from justicework.survivors import actions, rules, safety
from justicework.survivors.forms_safety import SafetyForm
from justicework.survivors.models import SafetyAssessment, SurvivorFile
from justicework.violations.models import Person


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran
    return user


def survivor_file(request: HttpRequest, pk: int, action: str) -> tuple[Person, SurvivorFile]:
    """The person (through the policy and the consent gate) and their file, ``action``
    required on it; 404 for a person without a file."""
    person = policy.get_or_404(
        request.user, Person.objects.only("id", "code", "organisation_id"), "view", pk=pk
    )
    file = policy.visible(request.user, SurvivorFile, "view").filter(person=person).first()
    if file is None:
        raise Http404
    decision = policy.can(request.user, action, file)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    return person, file


def _page(
    request: HttpRequest, person: Person, file: SurvivorFile, *,
    form: SafetyForm | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    current = actions.read_safety_assessment(_actor(request), file)
    history = list(
        policy.visible(request.user, SafetyAssessment, "view")
        .filter(file=file)
        .select_related("recorded_by")
        .only("id", "review_on", "has_threats", "recorded_at", "recorded_by__email",
              "recorded_by__display_name", "organisation_id", "file_id")
        .order_by("-pk")[:50]
    )  # fmt: skip
    may_record = bool(policy.can(request.user, "record_safety", file))
    if form is None and may_record:
        form = SafetyForm(initial={"review_on": timezone.localdate() + dt.timedelta(days=90)})
    context: dict[str, Any] = {
        "person": person,
        "current": current,
        "history": history,
        "form": form,
        "safety_warnings": safety.warnings_for(request.user, person),
    }
    response = render(request, "survivors/safety.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def safety_page(request: HttpRequest, pk: int) -> HttpResponse:
    person, file = survivor_file(request, pk, "view_safety")
    return _page(request, person, file)


@require_POST
@login_required
def safety_record(request: HttpRequest, pk: int) -> HttpResponse:
    person, file = survivor_file(request, pk, "record_safety")
    form = SafetyForm(request.POST)
    if form.is_valid():
        try:
            safety_input = actions.Safety(**form.cleaned_data)
            actions.record_safety_assessment(_actor(request), file, safety_input)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Safety assessment recorded. It replaces the last one."))
            return redirect("survivors:safety", pk=person.pk)
    return _page(request, person, file, form=form, status=422)


def panel(request: HttpRequest, record: Model) -> str | None:
    """The safety warning on the person's page, above the contacts they may reveal, with the
    way to the safety assessment and the interviews; nothing for a person who is not a
    survivor."""
    user: Any = request.user
    if not user.is_authenticated:
        return None
    found = safety.warnings_for(user, record)
    if not found:
        return None
    may = record.pk is not None and getattr(record, "organisation_id", None) in (
        rules.supporting_orgs(user)
    )
    return render_to_string(
        "survivors/partials/safety_panel.html",
        {"safety_warnings": found, "person": record, "may": may},
        request=request,
    )


@require_GET
@login_required
def safety_review_open(request: HttpRequest, pk: int) -> HttpResponse:
    """A safety review's link (reminders carry only this): the person's safety page, through
    the policy (the page itself asks the consent gate and audits the read)."""
    assessment = policy.get_or_404(
        request.user,
        SafetyAssessment.objects.select_related("file").only(
            "id", "organisation_id", "file__id", "file__person_id"
        ),
        "view",
        pk=pk,
    )
    return redirect("survivors:safety", pk=assessment.file.person_id)
