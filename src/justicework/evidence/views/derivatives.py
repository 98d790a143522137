"""Derivatives on the web (docs/evidence.md, "Derivatives"): an item's thumbnail and preview
(policy ``view`` on the item), the metadata-stripped copy downloaded for sharing (POST, policy
``share``: a custody entry "shared"), and the item's graphic flag (POST, policy
``mark_graphic``). The page shows a graphic item's pictures blurred until the reader presses
"Show", for that view only (``evidence/graphic.js``; nothing is stored)."""

from __future__ import annotations

import logging
from typing import IO, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justicework.audit.models import AuditEntry
from justicework.core import policy
from justicework.core.actors import Requester
from justicework.core.models import User
from justicework.evidence.actions import derivatives as actions
from justicework.evidence.actions.items import set_graphic
from justicework.evidence.derivatives.make import derivable
from justicework.evidence.models import Derivative, Item
from justicework.evidence.storage import derived
from justicework.evidence.storage.originals import OriginalDamaged

log = logging.getLogger(__name__)
SHOWN = (Derivative.Kind.THUMBNAIL, Derivative.Kind.PREVIEW)
EXTENSIONS = {
    "image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf", "video/mp4": ".mp4",
    "video/quicktime": ".mov", "video/webm": ".webm", "video/x-matroska": ".mkv",
    "audio/mpeg": ".mp3", "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/wave": ".wav",
    "audio/ogg": ".ogg", "audio/flac": ".flac", "audio/mp4": ".m4a",
}  # fmt: skip


def _item(request: HttpRequest, pk: int) -> Item:
    return policy.get_or_404(request.user, Item.objects.select_related("original"), "view", pk=pk)


def _plaintext(row: Derivative) -> IO[bytes]:
    """The derivative's bytes as made (decrypted when sealed, on either backend); 404 when its
    file is missing or fails authentication (``evidence fsck`` names either)."""
    try:
        return derived.open_derivative(row)
    except FileNotFoundError:
        raise Http404 from None
    except OriginalDamaged:
        log.error("derivative %s failed authentication", row.pk)
        raise Http404 from None


@login_required
@require_GET
def derivative_file(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """The item's thumbnail or preview (images, never the original's bytes)."""
    if kind not in SHOWN:
        raise Http404
    item = _item(request, pk)
    row = (
        Derivative.objects.select_related("original")
        .filter(original_id=item.original_id, kind=kind)
        .first()
    )
    if row is None:
        raise Http404
    response = FileResponse(_plaintext(row), content_type=row.media_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def stripped_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    item = _item(request, pk)
    user = request.user
    assert isinstance(user, User)  # login_required
    try:
        copy = actions.share_stripped_copy(user, item)
    except Derivative.DoesNotExist:
        messages.error(request, _("This item has no metadata-stripped copy (yet)."))
        return redirect("evidence:item_detail", pk=item.pk)
    stem = item.display_name.rsplit(".", 1)[0] or "evidence"
    name = f"{stem}-stripped{EXTENSIONS.get(copy.media_type, '')}"
    response = FileResponse(
        _plaintext(copy), as_attachment=True, filename=name, content_type=copy.media_type,
    )  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def item_graphic(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    user = request.user
    assert isinstance(user, User)  # login_required
    value = request.POST.get("graphic", "")
    if value not in ("0", "1"):
        messages.error(request, _("Say whether the item is graphic (1) or not (0)."))
        return redirect("evidence:item_detail", pk=item.pk)
    set_graphic(user, item, value == "1")  # PermissionDenied (403) for who may not
    messages.success(
        request,
        _("The item is marked graphic: its pictures are blurred until someone chooses to see them.")
        if value == "1"
        else _("The item is no longer marked graphic."),
    )
    return redirect("evidence:item_detail", pk=item.pk)


def _not_made(item: Item) -> dict[str, str]:
    """Why a derivative was not made, as the last making recorded it (``actions.derivatives``:
    a stripped copy that could not be made cleanly, a PDF page that could not be rendered)."""
    diff = (
        AuditEntry.objects.filter(
            action="evidence.derivative.made",
            object_type="evidence.original",
            object_id=str(item.original_id),
        )
        .order_by("-seq")
        .values_list("diff", flat=True)
        .first()
    )
    notes = diff.get("not_made") if isinstance(diff, dict) else None
    return notes if isinstance(notes, dict) else {}


def context(user: Requester, item: Item) -> dict[str, Any]:
    """The derivatives part of an item's page."""
    rows = {row.kind: row for row in Derivative.objects.filter(original_id=item.original_id)}
    not_made = _not_made(item)
    return {
        "stripped_not_made": not_made.get("stripped", ""),
        "preview_not_made": not_made.get("preview", ""),
        "derivatives": [rows[kind] for kind in Derivative.Kind.values if kind in rows],
        "has_preview": Derivative.Kind.PREVIEW in rows,
        "derivable": derivable(item.original.media_type),
        "can_share": Derivative.Kind.STRIPPED in rows and bool(policy.can(user, "share", item)),
        "can_mark_graphic": bool(policy.can(user, "mark_graphic", item)),
    }
