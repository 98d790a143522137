"""The consent page of a person: open the survivor file, see each use's state and the history,
record consent (uses given or refused), withdraw one use. The page runs under the use
``survivors.consent`` (``core.uses``): administering consent needs none, so a refusal can be
recorded when everything is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.core.models import User
from justicework.evidence.models import Item
from justicework.survivors import actions, queries
from justicework.survivors.forms import ConsentForm, HowForm, WithdrawForm
from justicework.survivors.models import InformationSheet, SurvivorFile
from justicework.violations.models import Person


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran
    return user


def _person(request: HttpRequest, pk: int) -> Person:
    return policy.get_or_404(
        request.user, Person.objects.only("id", "code", "organisation_id"), "view", pk=pk
    )


def _file(request: HttpRequest, person: Person) -> SurvivorFile | None:
    return policy.visible(request.user, SurvivorFile, "view").filter(person=person).first()


def _sheets(request: HttpRequest, person: Person) -> Any:
    return (
        policy.visible(request.user, InformationSheet, "view")
        .filter(organisation_id=person.organisation_id)
        .order_by("key", "language", "-version")
    )


def _how(request: HttpRequest, form: HowForm, file: SurvivorFile) -> actions.How:
    data = form.cleaned_data
    recording = None
    if data.get("recording"):
        recording = (
            policy.visible(request.user, Item, "view")
            .filter(pk=data["recording"], organisation_id=file.organisation_id)
            .first()
        )
        if recording is None:
            raise ValidationError(
                {"recording": _("No evidence item you may open has this number.")}
            )
    given_at: dt.datetime = data["given_at"]
    if timezone.is_naive(given_at):
        given_at = timezone.make_aware(given_at)
    return actions.How(
        given_at=given_at, method=data["method"], language=data["language"],
        interpreter=data.get("interpreter") or "", given_by=data["given_by"],
        guardian_relationship=data.get("guardian_relationship") or "",
        sheet=data.get("sheet"), recording=recording, conditions=data.get("conditions") or "",
    )  # fmt: skip


def _page(
    request: HttpRequest, person: Person, *, form: ConsentForm | None = None,
    withdraw: WithdrawForm | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    file = _file(request, person)
    user = request.user
    opener = SurvivorFile(organisation_id=person.organisation_id)
    can_open = file is None and bool(policy.can(user, "open", opener))
    context: dict[str, Any] = {"person": person, "file": file, "can_open": can_open}
    if file is not None:
        may_record = bool(policy.can(user, "record_consent", file))
        with_words = bool(policy.can(user, "view_conditions", file))
        initial = {"given_at": timezone.localtime().replace(second=0, microsecond=0),
                   "language": file.preferred_language,
                   "given_by": "guardian" if file.is_child else "survivor"}  # fmt: skip
        context |= {
            "uses": queries.current_uses(file),
            "history": queries.history(file, with_words=with_words),
            "with_words": with_words,
            "may_record": may_record,
            "form": form or (ConsentForm(initial=initial, sheets=_sheets(request, person))
                             if may_record else None),
            "withdraw_form": withdraw or (WithdrawForm(initial=initial) if may_record else None),
        }  # fmt: skip
    response = render(request, "survivors/consent.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def consent_page(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    return _page(request, person)


@require_POST
@login_required
def file_open(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    try:
        actions.open_survivor_file(
            _actor(request), person, is_child=request.POST.get("is_child") == "on",
            preferred_language=request.POST.get("preferred_language", ""),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Survivor file opened: every use now needs consent."))
    return redirect("survivors:consent", pk=person.pk)


def _require_file(request: HttpRequest, person: Person, action: str) -> SurvivorFile:
    file = _file(request, person)
    if file is None:
        raise PermissionDenied(_("This person has no survivor file."))
    policy.require(request.user, action, file)
    return file


def _apply(form: HowForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_POST
@login_required
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    file = _require_file(request, person, "record_consent")
    form = ConsentForm(request.POST, sheets=_sheets(request, person))
    if form.is_valid():
        try:
            choices = [actions.Choice(s, given, q) for s, given, q in form.choices()]
            actions.record_consent(_actor(request), file, _how(request, form, file), choices)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("survivors:consent", pk=person.pk)
    return _page(request, person, form=form, status=422)


@require_POST
@login_required
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    file = _require_file(request, person, "record_consent")
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            actions.withdraw_consent(
                _actor(request), file, _how(request, form, file),
                form.cleaned_data["scope"], form.cleaned_data.get("qualifier") or "",
            )  # fmt: skip
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Consent withdrawn. It takes effect at once."))
            return redirect("survivors:consent", pk=person.pk)
    return _page(request, person, withdraw=form, status=422)
