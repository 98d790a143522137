"""Information sheets: the list per language with their versions, a new version, and a
printable page and a PDF made on the server (``sheet_pdf``) so what a survivor was told can be
shown again word for word. Sheets hold no person data (``"none"`` use)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.survivors import actions, sheet_pdf
from justicework.survivors.models import InformationSheet


class SheetForm(forms.Form):
    key = forms.SlugField(label=_("Sheet"), max_length=40, initial="consent")
    language = forms.CharField(label=_("Language (code)"), max_length=16)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))


def _organisation(request: HttpRequest) -> Organisation:
    """The active organisation (``core.middleware``): sheets are the organisation's."""
    membership = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    organisation: Organisation = membership.organisation
    return organisation


@require_http_methods(["GET", "POST"])
@login_required
def sheet_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    may_manage = bool(policy.can(request.user, "manage_information_sheets", organisation))
    sheets = (
        policy.visible(request.user, InformationSheet, "view")
        .filter(organisation=organisation)
        .order_by("key", "language", "-version")
    )
    if not may_manage and not sheets.exists():
        raise Http404
    form = SheetForm(request.POST or None) if may_manage else None
    status = 200
    if form is not None and request.method == "POST":
        if form.is_valid():
            user = request.user
            assert isinstance(user, User)  # login_required ran
            try:
                sheet = actions.create_information_sheet(user, organisation, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Version %(v)s saved.") % {"v": sheet.version})
                return redirect("survivors:sheet_list")
        status = 422
    return render(
        request, "survivors/sheet_list.html", {"sheets": sheets, "form": form}, status=status
    )


@require_GET
@login_required
def sheet_print(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = policy.get_or_404(request.user, InformationSheet, "view", pk=pk)
    return render(
        request,
        "survivors/sheet_print.html",
        {"sheet": sheet, "fingerprint": sheet_pdf.fingerprint(sheet)},
    )


@require_GET
@login_required
def sheet_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The version as a PDF made on the server (``survivors.sheet_pdf``): who may see the
    sheet may print it; a sheet holds no person data."""
    sheet = policy.get_or_404(request.user, InformationSheet, "view", pk=pk)
    response = HttpResponse(sheet_pdf.render(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{sheet_pdf.filename(sheet)}"'
    response["Cache-Control"] = "private, no-store"
    return response
