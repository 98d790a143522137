"""Asking the task worker for a web capture (the page's and the API's way); a module of its own
because it enqueues ``evidence.capture.task.capture_page``, which calls back into
``actions.captures`` (the arrows run one way: capture_requests → capture.task → captures)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from justicework.core.models import Organisation, User
from justicework.evidence.actions.captures import create_capture
from justicework.evidence.capture.task import capture_page
from justicework.evidence.models import Capture
from justicework.tasks.actions import enqueue_with_progress, start_progress


def request_capture(actor: User, organisation: Organisation, url: str) -> Capture:
    """Record the capture (refused now with a ``ValidationError`` on ``url`` when the address
    may not be fetched) and hand it to the task worker, with a progress record."""
    with transaction.atomic():
        capture = create_capture(actor, organisation, url)
        progress = start_progress(
            actor, kind="evidence.capture", organisation=organisation,
            title=_("Web capture of %(url)s") % {"url": capture.url[:150]},
        )  # fmt: skip
        capture.progress_id = progress.pk
        capture.save(update_fields=["progress_id"])
        transaction.on_commit(
            lambda: enqueue_with_progress(progress, capture_page, str(capture.pk))
        )
    return capture
