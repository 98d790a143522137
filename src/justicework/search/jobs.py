"""Background jobs of the search index: a full rebuild with a progress bar for admins."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from justicework.core.uses import runs_as
from justicework.search.api import reindex
from justicework.search.registry import registered_models


@task()
@runs_as("none")
def reindex_all(progress_id: int) -> dict[str, int]:
    """Rebuild the rows of every registered model, reporting progress per batch."""
    from justicework.tasks.actions import tracking

    counts: dict[str, int] = {}
    with tracking(progress_id) as tracker:
        models = registered_models()
        tracker.set_total(sum(m._default_manager.count() for m in models))
        for model in models:
            counts[model._meta.label_lower] = reindex(model, on_batch=tracker.advance)
        tracker.finish(
            result=counts, message=_("%(n)d records indexed.") % {"n": sum(counts.values())}
        )
    return counts
