"""Custody from an item's page (docs/evidence.md, "Custody: copies, downloads, hand-overs"):
the original downloaded (POST, so that no link prefetch or crawler records a download; policy
``download``), a copy to a partner organisation (policy ``copy`` on the item and
``evidence.upload`` there) and a hand-over to an outside body (policy ``transfer``). A user who
may not open the item gets a 404; one who may open it but not do this, a 403 with the reason
(a removed item's tombstone among them)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from justicework.core import policy
from justicework.core.actors import signed_in
from justicework.core.models import Organisation
from justicework.evidence import actions
from justicework.evidence.actions.copies import copy_targets
from justicework.evidence.downloads import original_response
from justicework.evidence.forms import CopyForm, TransferForm
from justicework.evidence.intake.errors import IntakeError
from justicework.evidence.models import Item
from justicework.evidence.storage.originals import OriginalDamaged
from justicework.evidence.views.item_page import item_queryset, render_item

log = logging.getLogger(__name__)


def _item(request: HttpRequest, pk: int) -> Item:
    item: Item = policy.get_or_404(request.user, item_queryset(), "view", pk=pk)
    return item


@login_required
@require_POST
def original_download(request: HttpRequest, pk: int) -> FileResponse:
    item = _item(request, pk)
    try:
        stream = actions.download_original(signed_in(request), item, channel="web")
    except FileNotFoundError:
        log.error("the original of item %s is missing from the store", item.pk)
        raise Http404 from None
    except OriginalDamaged:
        log.error("the original of item %s failed authentication", item.pk)
        raise Http404 from None
    return original_response(stream, item)


@login_required
@require_POST
def item_copy(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    user = signed_in(request)
    policy.require(user, "copy", item)
    targets = copy_targets(user, item)
    if not targets:
        raise PermissionDenied(
            _("You may upload evidence in no other organisation: there is nowhere to copy to.")
        )
    form = CopyForm(request.POST, targets=targets)
    if form.is_valid():
        target = policy.get_or_404(
            user, Organisation, "evidence.upload", pk=form.cleaned_data["organisation"]
        )
        try:
            copy = actions.copy_item(user, item, target)
        except (ValidationError, IntakeError) as exc:
            message = exc.message if isinstance(exc, IntakeError) else "; ".join(exc.messages)
            form.add_error("organisation", message)
        except (OriginalDamaged, FileNotFoundError):
            log.error("the original of item %s could not be read to copy it", item.pk)
            unreadable = _(
                "The original could not be read from the store (missing or damaged: evidence "
                "fsck names it); nothing was copied."
            )
            form.add_error(None, unreadable)
        else:
            messages.success(
                request,
                _("Copied to %(organisation)s as item %(item)s; both chains of custody say so.")
                % {"organisation": target.name, "item": copy.pk},
            )
            return redirect("evidence:item_detail", pk=item.pk)
    return render_item(request, item, status=422, copy_form=form)


@login_required
@require_POST
def transfer_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    user = signed_in(request)
    policy.require(user, "transfer", item)
    form = TransferForm(request.POST)
    if form.is_valid():
        try:
            actions.record_transfer(user, item, form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The hand-over is recorded in the chain of custody."))
            return redirect("evidence:item_detail", pk=item.pk)
    return render_item(request, item, status=422, transfer_form=form)
