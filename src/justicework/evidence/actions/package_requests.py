"""Asking the task worker for a package (the web's way): a module of its own because it
enqueues ``evidence.tasks.build_package``, which calls back into ``actions.packages``; here
the arrows run one way (package_requests → tasks → packages)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core.models import Organisation, User
from justicework.evidence.actions.packages import select_items
from justicework.evidence.models import Package
from justicework.evidence.tasks import build_package
from justicework.tasks.actions import enqueue_with_progress, start_progress


def request_package(
    actor: User,
    organisation: Organisation,
    ids: Sequence[int] | None,
    selection: dict[str, Any] | None = None,
) -> Package:
    """Ask the task worker for a package of ``ids``, or of a saved search's ``selection``
    (``select_items``; checked now, and again by the worker, which finds a search's items
    again), with a progress bar; the package is for ``actor`` alone to download."""
    if selection is not None:
        items = select_items(actor, organisation, None, selection=selection)
    else:
        items = select_items(actor, organisation, list(ids or ()))
    with transaction.atomic():
        package = Package.objects.create(
            organisation=organisation, requester=actor, item_ids=[i.pk for i in items],
            selection=selection or {},
        )  # fmt: skip
        progress = start_progress(
            actor, kind="evidence.package", organisation=organisation,
            title=_("Evidence package of %(count)s item(s)") % {"count": len(items)},
        )  # fmt: skip
        package.progress_id = progress.pk
        package.save(update_fields=["progress_id"])
        record(actor, "evidence.package.requested", package, organisation_id=organisation.pk,
               diff={"item_ids": package.item_ids, "selection": selection})  # fmt: skip
        transaction.on_commit(
            lambda: enqueue_with_progress(progress, build_package, str(package.pk))
        )
    return package
