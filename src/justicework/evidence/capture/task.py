"""The task worker's web capture (django-tasks), asked for by ``actions.capture_requests``:
fetch, archive and store, with the bytes received as progress. A module of its own so that the
arrows run one way (capture_requests → capture.task → actions.captures → actions.items)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_tasks import task

from justicework.core.uses import runs_as
from justicework.evidence.actions import captures
from justicework.evidence.capture.fetch import FetchProblem
from justicework.evidence.capture.hosts import Refused
from justicework.evidence.intake.errors import IntakeError
from justicework.evidence.models import Capture
from justicework.tasks.actions import tracking


@task()
@runs_as("evidence.records")
def capture_page(progress_id: int, capture_id: str) -> None:
    """Fetch and store a web capture; the requester's rights are checked again here."""
    capture = Capture.objects.select_related("requester", "organisation").get(pk=capture_id)
    with tracking(progress_id) as tracker:
        try:
            capture = captures.run_capture(capture, lambda n: tracker.advance(n))
        except (Refused, FetchProblem, IntakeError) as exc:
            captures.fail_capture(capture, exc.message)
            tracker.fail(_("The page was not captured: %(problem)s") % {"problem": exc.message})
            return
        except (PermissionDenied, OSError) as exc:
            problem = str(exc) or type(exc).__name__
            captures.fail_capture(capture, problem)
            tracker.fail(_("The page was not captured: %(problem)s") % {"problem": problem})
            return
        tracker.finish(
            result={"capture": str(capture.pk), "item": capture.item_id},
            message=_("Captured (HTTP %(status)s).") % {"status": capture.http_status},
        )
