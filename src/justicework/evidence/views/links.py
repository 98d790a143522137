"""Linking an item from its page: the picker's look-up (records of the item's organisation
that the user may open, searched by title, reference, number or code), adding a picked record
(``actions.link_item``) and removing a link. Each needs the policy's ``link`` on the item; a
user who may not even open the item gets a 404."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.evidence import actions, linked
from justicework.evidence.actions.links import not_found
from justicework.evidence.forms import LinkForm
from justicework.evidence.models import Item, Link
from justicework.evidence.views.item_page import item_queryset, render_item
from justicework.violations.forms import picked_label
from justicework.violations.forms.common import picked_number

#: options offered by the look-up
LOOKUP_LIMIT = 20
NUMBER = re.compile(r"^#?(\d{1,18})$")


def _linkable_item(request: HttpRequest, pk: int) -> Item:
    """The item, 404 unless the user may open it, 403 (with the reason) unless they may link."""
    item: Item = policy.get_or_404(request.user, item_queryset(), "view", pk=pk)
    decision = policy.can(request.user, "link", item)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    return item


def _search(rows: QuerySet[Any], kind: str, text: str) -> QuerySet[Any]:
    number = NUMBER.match(text)
    by_number = Q(pk=int(number.group(1))) if number else Q(pk__in=[])
    if kind == Link.Kind.INCIDENT:
        return rows.filter(Q(title__icontains=text) | Q(external_ref__icontains=text) | by_number)
    if kind == Link.Kind.VIOLATION:
        return rows.filter(
            Q(incident__title__icontains=text) | Q(incident__external_ref__icontains=text)
            | by_number
        )  # fmt: skip
    if kind == Link.Kind.PERSON:
        return rows.filter(Q(code__istartswith=text) | by_number)
    return rows.filter(Q(title__icontains=text) | Q(url__icontains=text) | by_number)


@login_required
@require_GET
def link_lookup(request: HttpRequest, pk: int) -> HttpResponse:
    """``<option>``s for the picker: from two typed characters, at most ``LOOKUP_LIMIT``."""
    item = _linkable_item(request, pk)
    kind = request.GET.get("kind", "")
    text = request.GET.get("target", request.GET.get("q", "")).strip()[:200]
    options: list[tuple[str, str]] = []
    if kind in linked.MODELS and len(text) >= 2:
        rows = _search(linked.candidates(request.user, item.organisation_id, kind), kind, text)
        for record in rows.order_by("-pk")[:LOOKUP_LIMIT]:
            name = linked.label(kind, record)
            options.append((picked_label(name, record.pk), name))
    return render(request, "violations/partials/lookup_options.html", {"options": options})


def _resolve(request: HttpRequest, item: Item, kind: str, value: str) -> Any:
    """The picked record (by its number, or a person by exact code), among those the user may
    open in the item's organisation; a ValidationError naming the field otherwise."""
    rows = linked.candidates(request.user, item.organisation_id, kind)
    number = picked_number(value)
    found = None
    if kind == Link.Kind.PERSON:
        found = rows.filter(code__iexact=value.split("·")[0].strip()).first()
    if found is None and number is not None:
        found = rows.filter(pk=int(number)).first()
    if found is None:
        raise not_found(kind)
    return found


@login_required
@require_POST
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _linkable_item(request, pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            target = _resolve(request, item, kind, form.cleaned_data["target"])
            actions.link_item(signed_in(request), item, target)
        except ValidationError as exc:
            form.add_error("target", exc.message_dict.get("target", exc.messages))
        else:
            messages.success(request, _("Linked."))
            return redirect("evidence:item_detail", pk=item.pk)
    return render_item(request, item, status=422, link_form=form)


@login_required
@require_POST
def link_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    item = _linkable_item(request, pk)
    link = policy.get_or_404(request.user, Link, "view", pk=link_pk, item=item)
    actions.unlink_item(signed_in(request), link)
    messages.success(request, _("The link was removed."))
    return redirect("evidence:item_detail", pk=item.pk)
