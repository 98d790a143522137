"""The participation page of a survivor file: the current wishes and their versions, a new
version, the applications for victim status with their states, a new application or state.
Runs under the use ``survivors.participation`` (documentation consent): the person is fetched
through the policy, so a withdrawn consent closes the page at once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.survivors import actions, queries_participation
from justicework.survivors.actions.participation import TEXT_FIELDS
from justicework.survivors.forms_participation import ApplicationForm, WishForm
from justicework.survivors.models import SurvivorFile, VictimStatusApplication
from justicework.violations.models import Person


def file_for(request: HttpRequest, pk: int, action: str) -> SurvivorFile:
    """The survivor file of person ``pk`` if the user may ``action`` it (404 when the person
    is not visible under the use in effect, 403 without the right or without a file)."""
    person = policy.get_or_404(
        request.user, Person.objects.only("id", "code", "organisation_id"), "view", pk=pk
    )
    file = policy.visible(request.user, SurvivorFile, "view").filter(person=person).first()
    if file is None:
        raise PermissionDenied(_("This person has no survivor file."))
    policy.require(request.user, action, file)
    file.person = person
    return file


def _apply(form: Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _page(
    request: HttpRequest, file: SurvivorFile, *, wish_form: WishForm | None = None,
    app_form: ApplicationForm | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    history = queries_participation.versions(file)
    may_record = bool(policy.can(request.user, "record_participation", file))
    current = history[0] if history else None
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {"take_part": current.take_part, "forums": current.forums,
                   "forum_other": current.forum_other}  # fmt: skip
        initial |= {name: getattr(current, name) for name in TEXT_FIELDS}
    context = {
        "person": file.person,
        "file": file,
        "current": current,
        "history": history[1:],
        "applications": queries_participation.applications(file),
        "may_record": may_record,
        "wish_form": wish_form or (WishForm(initial=initial) if may_record else None),
        "app_form": app_form or (ApplicationForm() if may_record else None),
    }
    response = render(request, "survivors/participation.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def participation_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, file_for(request, pk, "view_participation"))


@require_POST
@login_required
def wish_record(request: HttpRequest, pk: int) -> HttpResponse:
    file = file_for(request, pk, "record_participation")
    form = WishForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        wish = actions.Wish(
            take_part=data["take_part"], forums=tuple(data["forums"]),
            forum_other=data["forum_other"], texts={n: data[n] for n in TEXT_FIELDS},
        )  # fmt: skip
        try:
            actions.record_participation(signed_in(request), file, wish)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Participation wishes saved as a new version."))
            return redirect("survivors:participation", pk=pk)
    return _page(request, file, wish_form=form, status=422)


@require_POST
@login_required
def application_record(request: HttpRequest, pk: int) -> HttpResponse:
    file = file_for(request, pk, "record_participation")
    form = ApplicationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        previous = None
        if data.get("supersedes"):
            previous = VictimStatusApplication.objects.filter(
                pk=data["supersedes"], file=file
            ).first()
            if previous is None:
                form.add_error(None, _("No application of this file has this number."))
                return _page(request, file, app_form=form, status=422)
        app = actions.Application(
            forum=data["forum"], status=data["status"], forum_other=data["forum_other"],
            reference=data["reference"], applied_on=data["applied_on"],
            decided_on=data["decided_on"],
        )  # fmt: skip
        try:
            actions.record_application(signed_in(request), file, app, previous)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Application for victim status saved."))
            return redirect("survivors:participation", pk=pk)
    return _page(request, file, app_form=form, status=422)
