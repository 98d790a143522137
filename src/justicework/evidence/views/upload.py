"""The upload page: a form for the collection record and the file, sent with the vendored
tus-js-client to the tus endpoint (progress, pause, resume)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from justicework.core import policy
from justicework.evidence import schemas

#: How the page asks for each declared field (the bounds and labels are the schema's).
WIDGETS = {"collected_at": "datetime", "source_url": "url", "method": "textarea",
           "sha256": "hash", "sha256_at_collection": "hash"}  # fmt: skip


def _widget(field: schemas.MetadataField) -> dict[str, object]:
    return {"key": field.key, "label": field.label, "limit": field.limit,
            "widget": WIDGETS.get(field.key, "text")}  # fmt: skip


@login_required
@require_GET
@ensure_csrf_cookie
def upload_page(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied(_("You are not a member of any organisation."))
    organisation = membership.organisation
    policy.require(request.user, "evidence.upload", organisation)
    return render(request, "evidence/upload.html", {
        "organisation": organisation,
        "endpoint": reverse("evidence_tus:uploads"),
        "record_fields": [_widget(f) for f in schemas.FIELDS if f.attr],
        "hash_field": _widget(schemas.BY_KEY["sha256"]),
        "max_bytes": settings.EVIDENCE_MAX_UPLOAD_BYTES,
    })  # fmt: skip
