"""Background work of the evidence vault (django-tasks): the provenance of a new original, and
building a package asked for on the web (``actions.package_requests.request_package``) with a
progress bar counting the files' bytes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from justicework.core.uses import runs_as
from justicework.evidence.actions import packages as actions
from justicework.evidence.actions.package_expiry import expire_packages
from justicework.evidence.models import Original, Package
from justicework.evidence.packages.build import Progress
from justicework.evidence.packages.signing import SigningKeyProblem
from justicework.evidence.packages.timestamp import TimestampProblem
from justicework.tasks.actions import Tracker, tracking


def _sink(tracker: Tracker) -> Progress:
    def on_progress(done: int, total: int) -> None:
        if tracker.total != total:
            tracker.set_total(total)
        tracker.advance(done - tracker.done)

    return on_progress


@task()
@runs_as("evidence.package")
def build_package(progress_id: int, package_id: str) -> None:
    """Build the package (after deleting the ZIPs of packages past their time); the
    requester's rights are checked again here."""
    expire_packages()
    package = Package.objects.select_related("requester", "organisation").get(pk=package_id)
    with tracking(progress_id) as tracker:
        try:
            package = actions.build_requested(package, _sink(tracker))
        except (PermissionDenied, ValidationError, SigningKeyProblem, TimestampProblem,
                OSError) as exc:  # fmt: skip
            problem = " ".join(getattr(exc, "messages", [])) or str(exc)
            actions.fail_requested(package, problem)
            tracker.fail(_("The package could not be made: %(problem)s") % {"problem": problem})
            return
        tracker.finish(
            result={"package": str(package.pk)},
            message=_("The package is ready (manifest SHA-256 %(sha256)s).")
            % {"sha256": package.manifest_sha256},
        )


@task()
@runs_as("evidence.records")
def extract_provenance_task(original_id: int) -> None:
    """Read an original's metadata and perceptual hashes (``actions.extract_provenance``)."""
    from justicework.evidence.actions.provenance import extract_provenance

    original = Original.objects.filter(pk=original_id).first()
    if original is not None:
        extract_provenance(original)


@task()
@runs_as("evidence.records")
def make_derivatives_task(original_id: int) -> None:
    """Make a new original's thumbnail, preview and stripped copy (``actions.derivatives``)."""
    from justicework.evidence.actions.derivatives import make_derivatives

    original = Original.objects.filter(pk=original_id).first()
    if original is not None:
        make_derivatives(original)
