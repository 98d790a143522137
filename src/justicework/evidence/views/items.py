"""The list of evidence items and an item's page (hashes, size, type, collection record,
custody log; for a removed item its tombstone). Opening an item's page is custody entry
"viewed"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.evidence import views
from justicework.evidence.actions.access import record_view
from justicework.evidence.actions.verification import two_person
from justicework.evidence.models import Derivative, SavedSearch
from justicework.evidence.queries import Filters, search_items
from justicework.evidence.views import item_page


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    filters = Filters(
        sha256=request.GET.get("sha256", "").strip()[:64],
        media_type=request.GET.get("media_type", "").strip().lower()[:255],
        before_id=_int_or_none(request.GET.get("before")),
    )
    page = list(search_items(request.user, filters)[: views.PAGE_SIZE + 1])
    more = len(page) > views.PAGE_SIZE
    page = page[: views.PAGE_SIZE]
    with_thumbnail = set(
        Derivative.objects.filter(
            original_id__in=[item.original_id for item in page], kind=Derivative.Kind.THUMBNAIL
        ).values_list("original_id", flat=True)
    )
    membership = getattr(request, "membership", None)
    can_upload = membership is not None and bool(
        policy.can(request.user, "evidence.upload", membership.organisation)
    )
    can_package = membership is not None and bool(
        policy.can(request.user, "evidence.package", membership.organisation)
    )
    can_settings = membership is not None and bool(
        policy.can(request.user, "evidence.settings", membership.organisation)
    )
    searches = (
        list(
            policy.visible(request.user, SavedSearch, "view")
            .filter(organisation_id=membership.organisation_id)
            .order_by("name")
        )
        if membership is not None
        else []
    )
    return render(request, "evidence/item_list.html", {
        "searches": searches,
        "can_settings": can_settings,
        "two_person": membership is not None and two_person(membership.organisation_id),
        "items": page, "filters": filters, "can_upload": can_upload,
        "with_thumbnail": with_thumbnail,
        "can_package": can_package,
        "organisation_id": membership.organisation_id if membership else None,
        "next_before": page[-1].pk if more else None,
    })  # fmt: skip


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = policy.get_or_404(request.user, item_page.item_queryset(), "view", pk=pk)
    # only this GET is a view in the custody log: a form's errors shown again are not
    record_view(signed_in(request), item)
    return item_page.render_item(request, item)
