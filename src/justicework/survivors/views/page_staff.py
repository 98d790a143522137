"""Staff side of the survivor page: the file's codes (never the codes themselves), issue one
(shown once), revoke them. Runs under the use ``survivors.consent`` (administering consent):
the page is a means for the survivor to withdraw, so a lost phone's code can be revoked even
after every use was withdrawn."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core.actors import signed_in
from justicework.survivors import actions, page_codes
from justicework.survivors.models import SurvivorPageCode
from justicework.survivors.views.participation import file_for


def _enabled() -> None:
    if not settings.SURVIVORS_PAGE:
        raise Http404


@require_GET
@login_required
def codes_page(request: HttpRequest, pk: int) -> HttpResponse:
    _enabled()
    file = file_for(request, pk, "issue_page_code")
    codes = SurvivorPageCode.objects.filter(file=file).select_related("issued_by")
    context = {
        "person": file.person,
        "codes": list(codes.order_by("-issued_at")[:10]),
        "page_on": page_codes.page_on(file.organisation_id),
    }
    response = render(request, "survivors/page_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def code_issue(request: HttpRequest, pk: int) -> HttpResponse:
    _enabled()
    file = file_for(request, pk, "issue_page_code")
    try:
        code, typed = actions.issue_page_code(signed_in(request), file)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("survivors:page_codes", pk=pk)
    context = {"person": file.person, "code": code, "typed": typed}
    response = render(request, "survivors/page_code_issued.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def code_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _enabled()
    file = file_for(request, pk, "issue_page_code")
    actions.revoke_page_codes(signed_in(request), file)
    messages.success(request, _("The survivor page code no longer works."))
    return redirect("survivors:page_codes", pk=pk)
