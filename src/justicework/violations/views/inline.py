"""Recording a new person, unit or source without leaving the form that links it.

A picker's "Record a new …" is a ``<details>`` panel inside the form: opening it loads the
panel (HTMX GET), its button posts the panel's prefixed fields (HTMX POST; the enclosing form's
other fields travel along and are ignored), and the answer replaces the panel. Once the record
is created the answer carries ``data-fill``/``data-value``, which ``static/violations/picker.js``
writes into the picker (``?fill=<input id>``), so everything else typed in the form stays as it
was. Without JavaScript the panel offers the full page in a new tab instead, and the picker
takes the code or name typed by hand.

The same actions as the full pages create the records (``create_person`` with its duplicate
check, ``create_unit``, ``create_source``), after the same policy checks.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from justicework.violations import actions
from justicework.violations.forms import PersonForm, SourceForm, UnitForm, picked_label
from justicework.violations.views._common import (
    actor,
    apply_errors,
    organisation_units,
    require_create,
)
from justicework.violations.views.persons import create_from_form, duplicate_persons
from justicework.violations.views.units import unit_fields

#: The id of the picker input a panel fills (``id_victim``, ``id_np-…`` never: plain ids).
FILL = re.compile(r"^id_[a-z_]{1,40}$")


#: The full page of each kind, offered in a new tab where JavaScript is off (a source is
#: recorded from its incident's page).
PAGES = {"person": "violations:person_create", "unit": "violations:unit_create"}


def _fill(request: HttpRequest) -> str:
    value = request.GET.get("fill", "")
    return value if FILL.match(value) else ""


def _panel(
    request: HttpRequest,
    kind: str,
    form: Any,
    *,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    fill = _fill(request)
    return render(
        request,
        "violations/partials/inline_new.html",
        {
            "kind": kind,
            "form": form,
            "fill": fill,
            "post_url": f"{reverse(f'violations:{kind}_inline')}?fill={fill}",
            "page_url": reverse(PAGES[kind]) if kind in PAGES else "",
            **context,
        },
        status=status,
    )


def _created(request: HttpRequest, kind: str, value: str, message: str) -> HttpResponse:
    return render(
        request,
        "violations/partials/inline_created.html",
        {"kind": kind, "fill": _fill(request), "value": value, "message": message},
        status=201,
    )


@require_http_methods(["GET", "POST"])
@login_required
def person_inline(request: HttpRequest) -> HttpResponse:
    """A new person (with the duplicate warning) for the person pickers."""
    organisation = require_create(request, "create_person")
    if request.method != "POST":
        return _panel(request, "person", PersonForm(prefix="np"))
    form = PersonForm(request.POST, prefix="np")
    created = create_from_form(request, organisation, form)
    if created.person is None:
        response = _panel(
            request,
            "person",
            form,
            status=created.status,
            check=created.check,
            duplicates=duplicate_persons(request, organisation, created.check),
            organisation=organisation,
        )
        if created.retry_after is not None:
            response["Retry-After"] = str(created.retry_after)
        return response
    code = created.person.code
    return _created(request, "person", code, _("Person recorded as %(code)s.") % {"code": code})


@require_http_methods(["GET", "POST"])
@login_required
def unit_inline(request: HttpRequest) -> HttpResponse:
    """A new unit for the unit pickers."""
    organisation = require_create(request, "create_unit")
    units = organisation_units(request.user, organisation.pk)
    if request.method != "POST":
        return _panel(request, "unit", UnitForm(units=units, prefix="nu"))
    form = UnitForm(request.POST, units=units, prefix="nu")
    if form.is_valid():
        try:
            unit = actions.create_unit(actor(request), organisation, **unit_fields(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _created(
                request,
                "unit",
                picked_label(unit.name, unit.pk),
                _("Unit %(name)s recorded.") % {"name": unit.name},
            )
    return _panel(request, "unit", form, status=422)


@require_http_methods(["GET", "POST"])
@login_required
def source_inline(request: HttpRequest) -> HttpResponse:
    """A new source for the source pickers (linked where the picker's form links it)."""
    organisation = require_create(request, "create_source")
    if request.method != "POST":
        return _panel(request, "source", SourceForm(targets=None, prefix="ns"))
    form = SourceForm(request.POST, targets=None, prefix="ns")
    if form.is_valid():
        try:
            source = actions.create_source(actor(request), organisation, **form.source_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _created(
                request,
                "source",
                picked_label(source.title, source.pk),
                _("Source #%(number)s recorded.") % {"number": source.pk},
            )
    return _panel(request, "source", form, status=422)
