"""Background work of the evidence vault (django-tasks): provenance of a new original."""

from __future__ import annotations

from django_tasks import task

from justicework.evidence.models import Original


@task()
def extract_provenance_task(original_id: int) -> None:
    """Read an original's metadata and perceptual hashes (``actions.extract_provenance``)."""
    from justicework.evidence.actions.provenance import extract_provenance

    original = Original.objects.filter(pk=original_id).first()
    if original is not None:
        extract_provenance(original)
