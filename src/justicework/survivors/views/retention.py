"""Retention pages: the organisation's schedules and the review list of records due (with
"apply" and a dry run), for organisation admins; the legal holds of a survivor file.
Both run under the use ``survivors.retention`` (no consent needed to stop keeping data)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.survivors import actions, retention_types
from justicework.survivors.forms_retention import HoldForm, ScheduleForm
from justicework.survivors.models import LegalHold, RetentionSchedule, SurvivorFile
from justicework.survivors.retention import due_records
from justicework.violations.models import Person


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran
    return user


def _organisation(request: HttpRequest) -> Organisation:
    """The active organisation, if the user manages its retention (404 otherwise)."""
    membership = getattr(request, "membership", None)
    if membership is None or not policy.can(
        request.user, "manage_retention", membership.organisation
    ):
        raise Http404
    organisation: Organisation = membership.organisation
    return organisation


def _errors(form: ScheduleForm | HoldForm, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
@login_required
def retention_review(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = ScheduleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.set_retention_schedule(_actor(request), organisation, **form.cleaned_data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("Schedule saved."))
                return redirect("survivors:retention")
        status = 422
    known = retention_types.record_types()
    context = {
        "schedules": [
            (s, known.get(s.record_type))
            for s in RetentionSchedule.objects.filter(organisation=organisation).order_by(
                "record_type"
            )
        ],
        "due": due_records(organisation),
        "form": form,
    }
    return render(request, "survivors/retention.html", context, status=status)


@require_POST
@login_required
def retention_apply(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    dry_run = request.POST.get("dry_run") == "1"
    report = actions.apply_retention(_actor(request), organisation, dry_run=dry_run)
    counts = {"done": len(report.done), "held": len(report.held), "failed": len(report.failed)}
    if dry_run:
        messages.info(
            request,
            _("Dry run: %(done)s would be applied, %(held)s held, nothing changed.") % counts,
        )
    else:
        messages.success(
            request,
            _("%(done)s applied, %(held)s held by a legal hold, %(failed)s failed.") % counts,
        )
        for due, reason in report.failed:
            messages.error(request, f"{due.code}: {reason}")
        if report.gone:
            messages.info(
                request,
                _("%(gone)s records had gone already, with their survivor file.")
                % {"gone": len(report.gone)},
            )
    return redirect("survivors:retention")


def _file(request: HttpRequest, pk: int) -> SurvivorFile:
    person = policy.get_or_404(
        request.user, Person.objects.only("id", "code", "organisation_id"), "view", pk=pk
    )
    file = (
        policy.visible(request.user, SurvivorFile, "manage_legal_hold")
        .select_related("person")
        .filter(person=person)
        .first()
    )
    if file is None:
        raise Http404
    return file


def _hold_page(
    request: HttpRequest, file: SurvivorFile, form: HoldForm, status: int = 200
) -> HttpResponse:
    holds = LegalHold.objects.filter(file=file).select_related("set_by", "lifted_by")
    context = {"file": file, "holds": holds.order_by("-set_at"), "form": form}
    return render(request, "survivors/legal_hold.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    file = _file(request, pk)
    form = HoldForm(request.POST or None)
    if request.method == "GET":
        return _hold_page(request, file, form)
    if form.is_valid():
        try:
            actions.set_legal_hold(_actor(request), file, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Legal hold set: nothing of this file will be removed."))
            return redirect("survivors:legal_hold", pk=pk)
    return _hold_page(request, file, form, status=422)


@require_POST
@login_required
def legal_hold_lift(request: HttpRequest, pk: int, hold_pk: int) -> HttpResponse:
    file = _file(request, pk)
    hold = LegalHold.objects.filter(file=file, pk=hold_pk).first()
    if hold is None:
        raise Http404
    try:
        actions.lift_legal_hold(_actor(request), hold)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Legal hold lifted."))
    return redirect("survivors:legal_hold", pk=pk)
