"""Command responsibility pages: the chain of command of a unit or a person on a date, the
art. 28 summary of a suspect, and the pattern of a unit's incidents over time and place.

Every page asks the policy for ``view`` of the unit or person (``record.view`` in its
organisation, as the violations app's unit and person pages do: legal analysts, documenters,
viewers and admins) and answers 404 for another organisation's record. Persons appear by
pseudonymous code only: an identity is opened on the person's own page (audited reveal).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from justicework.core import policy
from justicework.law.command import art28, chain, pattern, records
from justicework.violations.models import Person, Unit
from justicework.violations.views._common import map_settings


class DateError(ValueError):
    pass


def parse_date(value: str | None, name: str, default: dt.date | None) -> dt.date | None:
    """An ISO date from a query parameter (``default`` when absent); a clear error naming the
    parameter otherwise."""
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise DateError(
            _("%(name)s: %(value)r is not a date (YYYY-MM-DD).")
            % {"name": name, "value": value[:40]}
        ) from None


def _on(request: HttpRequest) -> tuple[dt.date, str]:
    try:
        on = parse_date(request.GET.get("date"), "date", timezone.localdate())
    except DateError as exc:
        return timezone.localdate(), str(exc)
    assert on is not None  # a default was given
    return on, ""


@require_GET
@login_required
def unit_chain(request: HttpRequest, pk: int) -> HttpResponse:
    unit = policy.get_or_404(
        request.user, Unit.objects.only("id", "organisation_id"), "view", pk=pk
    )
    on, error = _on(request)
    context: dict[str, Any] = {"unit_id": unit.pk, "on": on, "error": error}
    if not error:
        hierarchy = chain.load_hierarchy(request.user, unit.organisation_id)
        levels = chain.unit_chain(hierarchy, unit.pk, on)
        context.update(
            unit=hierarchy.units[unit.pk],
            levels=levels,
            uses_current=chain.uses_current_hierarchy(levels),
        )
    return render(request, "law/command/unit_chain.html", context, status=400 if error else 200)


@require_GET
@login_required
def person_chain(request: HttpRequest, pk: int) -> HttpResponse:
    person = policy.get_or_404(
        request.user, Person.objects.only("id", "code", "organisation_id"), "view", pk=pk
    )
    on, error = _on(request)
    context: dict[str, Any] = {"person": person, "on": on, "error": error}
    if not error:
        hierarchy = chain.load_hierarchy(request.user, person.organisation_id)
        context.update(
            commands=chain.person_chains(hierarchy, person.pk, on),
            records=[
                (c, hierarchy.units[c.unit_id]) for c in chain.person_commands(hierarchy, person.pk)
            ],
        )
    return render(request, "law/command/person_chain.html", context, status=400 if error else 200)


@require_GET
@login_required
def person_art28(request: HttpRequest, pk: int) -> HttpResponse:
    person = policy.get_or_404(
        request.user, Person.objects.only("id", "code", "organisation_id"), "view", pk=pk
    )
    hierarchy = chain.load_hierarchy(request.user, person.organisation_id)
    summary = art28.summarise(request.user, hierarchy, person.pk)
    return render(
        request,
        "law/command/art28.html",
        {
            "person": person,
            "summary": summary,
            "has_commands": bool(chain.person_commands(hierarchy, person.pk)),
            "recorded": records.for_person(request.user, person),
        },
    )


@require_GET
@login_required
def unit_pattern(request: HttpRequest, pk: int) -> HttpResponse:
    unit = policy.get_or_404(
        request.user, Unit.objects.only("id", "organisation_id"), "view", pk=pk
    )
    context: dict[str, Any] = {"unit_id": unit.pk, **map_settings()}
    try:
        start = parse_date(request.GET.get("from"), "from", None)
        end = parse_date(request.GET.get("to"), "to", None)
        hierarchy = chain.load_hierarchy(request.user, unit.organisation_id)
        found = pattern.incident_pattern(request.user, hierarchy, unit.pk, start, end)
    except (DateError, pattern.PeriodError) as exc:
        context["error"] = str(exc)
        return render(request, "law/command/pattern.html", context, status=400)
    points, truncated = pattern.map_points(found.incident_ids)
    prefix = reverse("violations:incident_list")  # one reverse() for all the points
    for point in points:
        point["url"] = f"{prefix}{point['incident_id']}/"
    context.update(
        unit=hierarchy.units[unit.pk],
        start=start,
        end=end,
        pattern=found,
        rows=_rows(found),
        chart=_chart(found),
        points=points,
        truncated=truncated,
        map_limit=pattern.MAP_LIMIT,
    )
    return render(request, "law/command/pattern.html", context)


def _rows(found: pattern.Pattern) -> list[dict[str, Any]]:
    """The table: one row per month, a cell per unit (the chart's accessible fallback)."""
    return [
        {
            "month": month,
            "cells": [found.count(unit_id, month) for unit_id, _name, _n in found.units],
            "total": found.totals.get(month, 0),
        }
        for month in found.months
    ]


#: the chart's geometry (SVG user units; the SVG scales to its box, so 360 px works)
BAR_W, CHART_H, MIN_MONTHS = 12, 80, 24


def _chart(found: pattern.Pattern) -> dict[str, Any]:
    """Bars of distinct incidents per month (all the units), a thin line at each January. The
    SVG stretches to its box, so it holds no text (the caption and the table carry it)."""
    peak = max(found.totals.values(), default=0) or 1
    bars = []
    for index, month in enumerate(found.months):
        total = found.totals.get(month, 0)
        height = round(CHART_H * total / peak, 1)
        bars.append(
            {
                "x": index * BAR_W,
                "y": CHART_H - height,
                "height": height,
                "total": total,
                "month": month,
                "tick": month.month == 1 and index > 0,
            }
        )
    return {
        "bars": bars,
        # a few months do not stretch into one wide bar: at least two years' width
        "width": max(len(found.months), MIN_MONTHS) * BAR_W,
        "height": CHART_H,
        "first": found.months[0] if found.months else None,
        "last": found.months[-1] if found.months else None,
        "base": CHART_H,
        "bar_width": BAR_W - 2,
        "peak": peak,
    }
