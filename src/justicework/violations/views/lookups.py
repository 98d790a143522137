"""HTMX look-ups behind the pickers: ``<option>``s for a ``<datalist>``, searched as the user
types (docs/violations-ui.md, "Pickers").

Every look-up answers from the **active** organisation's records that the policy lets the user
see (another organisation's records, restricted incidents without access and missing ones are
simply not offered), from two typed characters, at most ``LOOKUP_LIMIT`` options. A picked
value is the record's label ending with its number (``3rd Brigade [#12]``) or, for a person,
the pseudonymous code; the forms resolve it again within the record's own organisation.
Persons are found by code, and by name only through the blind indexes and only among the
persons whose identity the user may open (``actions.find_persons_by_name``, audited).
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from justicework.core import policy
from justicework.core.models import Organisation
from justicework.violations import actions, views
from justicework.violations.forms import PICKED, picked_label
from justicework.violations.models import Incident, Person, Source
from justicework.violations.views._common import active_organisation, actor, organisation_units

#: A typed record number: "12" or "#12".
NUMBER = re.compile(r"^#?(\d{1,18})$")
#: Text that looks like a person's code ("P-", "P-7K2"): searched as a code, not as a name.
CODE_LIKE = re.compile(r"^[A-Za-z]{1,3}-[0-9A-Za-z]*$")


def _lookup_text(request: HttpRequest) -> str:
    """The typed text: ``q``, or else the value of the input that asked (htmx sends the
    input's own name: ``unit``, ``victim``, ``to_incident``...)."""
    value = request.GET.get("q", "").strip()
    if value:
        return value[:200]
    for key in request.GET:
        value = request.GET.get(key, "").strip()
        if value:
            return value[:200]
    return ""


def _searchable(request: HttpRequest) -> tuple[Organisation | None, str]:
    """The active organisation and the typed text, or ``(None, "")`` when nothing is to be
    looked up (no organisation, fewer than two characters, a value already picked)."""
    organisation = active_organisation(request)
    text = _lookup_text(request)
    if organisation is None or len(text) < 2 or PICKED.search(text):
        return None, ""
    return organisation, text


def _by_number_or(text: str, lookup: str) -> Q:
    """Records whose ``lookup`` contains ``text``, or whose number it is."""
    number = NUMBER.match(text)
    condition = Q(**{f"{lookup}__icontains": text})
    return condition | Q(pk=int(number.group(1))) if number else condition


def _options(request: HttpRequest, options: list[tuple[str, str]]) -> HttpResponse:
    return render(request, "violations/partials/lookup_options.html", {"options": options})


@require_GET
@login_required
def unit_lookup(request: HttpRequest) -> HttpResponse:
    """Units of the active organisation whose name contains the typed text, or whose number
    it is."""
    organisation, text = _searchable(request)
    if organisation is None:
        return _options(request, [])
    units = (
        organisation_units(request.user, organisation.pk)
        .filter(_by_number_or(text, "name"))
        .only("id", "name")
        .order_by("name", "pk")[: views.LOOKUP_LIMIT]
    )
    return _options(request, [(picked_label(u.name, u.pk), u.name) for u in units])


@require_GET
@login_required
def incident_lookup(request: HttpRequest) -> HttpResponse:
    """The active organisation's visible incidents whose title contains the typed text, or
    whose number it is."""
    organisation, text = _searchable(request)
    if organisation is None:
        return _options(request, [])
    incidents = (
        policy.visible(request.user, Incident, "view")
        .filter(_by_number_or(text, "title"), organisation=organisation)
        .only("id", "title")
        .order_by("-pk")[: views.LOOKUP_LIMIT]
    )
    return _options(request, [(picked_label(i.title, i.pk), i.title) for i in incidents])


@require_GET
@login_required
def source_lookup(request: HttpRequest) -> HttpResponse:
    """The active organisation's sources whose title or address contains the typed text, or
    whose number it is."""
    organisation, text = _searchable(request)
    if organisation is None:
        return _options(request, [])
    sources: QuerySet[Source] = (
        policy.visible(request.user, Source, "view")
        .filter(_by_number_or(text, "title") | Q(url__icontains=text), organisation=organisation)
        .only("id", "title", "reliability", "credibility")
        .order_by("-pk")[: views.LOOKUP_LIMIT]
    )
    return _options(
        request, [(picked_label(s.title, s.pk), f"{s.title} ({s.grade})") for s in sources]
    )


@require_GET
@login_required
def person_lookup(request: HttpRequest) -> HttpResponse:
    """Persons of the active organisation by code (its start), and by name through the blind
    indexes for those the user may open (their names shown, audited). Nobody else's identity
    is ever read here."""
    organisation, text = _searchable(request)
    if organisation is None:
        return _options(request, [])
    visible = policy.visible(request.user, Person, "view").filter(organisation=organisation)
    by_code = list(
        visible.filter(code__istartswith=text)
        .only("id", "code", "organisation_id")
        .order_by("code")[: views.LOOKUP_LIMIT]
    )
    options = [(p.code, p.code) for p in by_code]
    if not CODE_LIKE.match(text):
        found = actions.find_persons_by_name(
            actor(request), organisation, text, limit=views.LOOKUP_LIMIT, with_names=True
        )
        codes = dict(visible.filter(pk__in=found.ids).values_list("pk", "code"))
        taken = {code for code, _label in options}
        options += [
            (codes[pk], f"{codes[pk]} · {found.names.get(pk, '')}")
            for pk in found.ids
            if pk in codes and codes[pk] not in taken
        ]
    return _options(request, options[: views.LOOKUP_LIMIT])
