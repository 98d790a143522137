"""The published award list, public (no sign-in): the page, and the same awards as 360Giving
CSV and JSON and as an IATI activity file. Every one reads
``publication.published_awards`` with the filter the visitor chose, so they list the same
awards."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from justicework.core.countries import country_name
from justicework.grants import exports_360, exports_iati
from justicework.grants.fields import text_in
from justicework.grants.models import Award
from justicework.grants.publication import (
    AwardFilter,
    award_date,
    published_awards,
    published_awards_with_money,
    published_calls,
    published_countries,
    published_years,
)

#: awards per page of the list
PAGE_SIZE = 50


class AwardFilterForm(forms.Form):
    """The list's filters, offered as pickers of what is published (so a typo cannot be made,
    and a value from an old link that is no longer published is refused, naming the field)."""

    call = forms.ChoiceField(label=gettext_lazy("Call"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year of the award"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        calls = published_calls().order_by("reference")
        cast(forms.ChoiceField, self.fields["call"]).choices = anything + [
            (c.reference, f"{c.reference}: {text_in(c.title)}") for c in calls
        ]
        cast(forms.ChoiceField, self.fields["country"]).choices = anything + [
            (code, country_name(code)) for code in published_countries()
        ]
        years = [(str(year), str(year)) for year in published_years()]
        cast(forms.ChoiceField, self.fields["year"]).choices = anything + years

    def filters(self) -> AwardFilter:
        data = self.cleaned_data
        return AwardFilter(call=data["call"], country=data["country"], year=data["year"])


def read_filters(request: HttpRequest) -> tuple[AwardFilterForm, AwardFilter | None]:
    """The visitor's filters; None (with the form's errors) when one is not valid."""
    form = AwardFilterForm(request.GET or None)
    if not request.GET:
        return form, AwardFilter()
    return form, form.filters() if form.is_valid() else None


def _row(award: Award) -> dict[str, Any]:
    """What the list shows of an award (the call's title in the reader's language)."""
    return {
        "award": award,
        "recipient": award.legal_entity.legal_name,
        "country": country_name(award.legal_entity.country),
        "call": text_in(award.call.title),
        "date": award_date(award),
    }


def _refused(form: AwardFilterForm) -> HttpResponse:
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    return JsonResponse({"detail": errors}, status=400)


@require_safe
def award_list(request: HttpRequest) -> HttpResponse:
    form, filters = read_filters(request)
    page = None
    if filters is not None:
        page = Paginator(published_awards(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [_row(award) for award in page] if page is not None else [],
        "query": query.urlencode(),
        "iati": exports_iati.configured(),
    }
    status = 200 if filters is not None else 400
    return render(request, "grants/publication/award_list.html", context, status=status)


@require_safe
def awards_360_json(request: HttpRequest) -> HttpResponse:
    form, filters = read_filters(request)
    if filters is None:
        return _refused(form)
    response = JsonResponse(exports_360.package(published_awards(filters)))
    response["Content-Disposition"] = 'inline; filename="grants-360giving.json"'
    return response


@require_safe
def awards_360_csv(request: HttpRequest) -> HttpResponse:
    form, filters = read_filters(request)
    if filters is None:
        return _refused(form)
    body = exports_360.as_csv(published_awards(filters))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="grants-360giving.csv"'
    return response


@require_safe
def awards_iati(request: HttpRequest) -> HttpResponse:
    form, filters = read_filters(request)
    if filters is None:
        return _refused(form)
    if not exports_iati.configured():
        # without the publisher's IATI identifier no valid file can be made: say so plainly
        message = _("This platform has no IATI organisation identifier set up yet.")
        return HttpResponse(message, status=404, content_type="text/plain; charset=utf-8")
    body = exports_iati.activities(published_awards_with_money(filters))
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="grants-iati-activities.xml"'
    return response
