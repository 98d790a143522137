"""The information log of a survivor file (what they were told, when, by whom, how) and the
list of survivors not updated for N days (``JUSTICEWORK_SURVIVORS_UPDATE_DAYS``). Runs under
the use ``survivors.participation``; the list shows only files the user may see."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.survivors import actions, queries_information
from justicework.survivors.forms_participation import InformationForm
from justicework.survivors.models import SurvivorFile
from justicework.survivors.views.participation import file_for


def _page(
    request: HttpRequest, file: SurvivorFile, form: InformationForm | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    may_record = bool(policy.can(request.user, "record_information", file))
    if form is None and may_record:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = InformationForm(initial={"given_at": now, "how": "in_person"})
    context = {
        "person": file.person,
        "file": file,
        "entries": queries_information.log(file),
        "form": form if may_record else None,
        "may_issue": settings.SURVIVORS_PAGE
        and bool(policy.can(request.user, "issue_page_code", file)),
    }
    response = render(request, "survivors/information.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def information_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, file_for(request, pk, "view_information"))


@require_POST
@login_required
def information_record(request: HttpRequest, pk: int) -> HttpResponse:
    file = file_for(request, pk, "record_information")
    form = InformationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        given_at: dt.datetime = data["given_at"]
        if timezone.is_naive(given_at):
            given_at = timezone.make_aware(given_at)
        try:
            actions.record_information(
                signed_in(request), file, what=data["what"], given_at=given_at,
                how=data["how"], for_survivor=data["for_survivor"],
            )  # fmt: skip
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Information logged."))
            return redirect("survivors:information", pk=pk)
    return _page(request, file, form, status=422)


@require_GET
@login_required
def not_updated(request: HttpRequest) -> HttpResponse:
    days: int = settings.SURVIVORS_UPDATE_DAYS
    rows = queries_information.not_updated(request.user, days)
    response = render(request, "survivors/not_updated.html", {"rows": rows, "days": days})
    response["Cache-Control"] = "no-store"
    return response
