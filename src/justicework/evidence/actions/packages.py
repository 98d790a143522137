"""Exporting items as a signed package (``evidence.packages``): the files are copied first,
then, in one transaction, each item gets a custody entry "exported" and the organisation an
audit entry, and the manifest (which shows those entries), its signature, the optional
timestamp and the verifier are written; the ZIP takes its name only when whole."""

from __future__ import annotations

import hashlib
import os
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.models import CustodyEntry, Item, Link, Package, SavedSearch
from justicework.evidence.packages import build, signing, timestamp
from justicework.evidence.packages import manifest as manifests
from justicework.evidence.packages import verify as v
from justicework.evidence.queries import filters_of, search_items
from justicework.violations.models import Incident


@dataclass(frozen=True)
class Packaged:
    package_id: str
    items: int
    manifest_sha256: str
    timestamped: bool


def select_items(
    actor: User,
    organisation: Organisation,
    ids: Sequence[int] | None,
    *,
    incident_id: int | None = None,
    selection: dict[str, Any] | None = None,
) -> list[Item]:
    """The items of ``organisation`` that ``actor`` may package: those of ``ids``, those linked
    to incident ``incident_id`` (or to one of its violations), those a saved search finds now
    (``selection``, from :func:`search_selection`: found through the list's own query,
    ``queries.search_items``), or all (all None). An id that is not one of them is refused,
    without saying whether it exists; so is an incident the actor may not open in this
    organisation."""
    policy.require(actor, "evidence.package", organisation)
    allowed = policy.visible(actor, Item, "package").filter(organisation=organisation)
    if selection is not None:
        found = search_items(actor, filters_of(selection["filters"], organisation.pk))
        allowed = allowed.filter(pk__in=found.order_by().values("pk"))
    if ids is not None:
        allowed = allowed.filter(pk__in=ids)
        _refuse_tombstones(actor, organisation, ids)
    if incident_id is not None:
        allowed = allowed.filter(pk__in=_linked_to_incident(actor, organisation, incident_id))
    items = list(allowed.select_related("original", "organisation", "tombstone").order_by("pk"))
    if ids is not None:
        missing = sorted(set(ids) - {item.pk for item in items})
        if missing:
            _refuse_with_reason(actor, organisation, missing)
            raise ValidationError(
                _("No evidence item you may package has the number(s) %(ids)s.")
                % {"ids": ", ".join(map(str, missing))}
            )
    if not items and selection is not None:
        raise ValidationError(
            _("No evidence item you may package matches the saved search %(name)s.")
            % {"name": selection["search"]}
        )
    if not items and incident_id is not None:
        raise ValidationError(
            _("No evidence item is linked to incident %(id)s.") % {"id": incident_id}
        )
    if not items:
        raise ValidationError(_("There is no evidence item to package."))
    _refuse_without_consent(actor, items)
    return items


def search_selection(actor: User, search: SavedSearch) -> dict[str, Any]:
    """What a package made of ``search`` records (and its items are found again from)."""
    policy.require(actor, "view", search)
    return {"search": search.name, "filters": dict(search.filters)}


def _without_consent(actor: User, items: list[Item]) -> dict[int, str]:
    """A package lists the persons its items are linked to: an item linked to a person the
    policy refuses for the use in effect (a survivor's consent, ``core.uses``) is refused,
    the reason naming the missing consent (the first such link's, by item)."""
    found: dict[int, str] = {}
    links = Link.objects.filter(item__in=items, person__isnull=False).order_by("item_id", "pk")
    for link in links.select_related("person"):
        if link.item_id not in found:
            decision = policy.can(actor, "view", link)
            if not decision:
                found[link.item_id] = str(decision.reason)
    return found


def _refuse_without_consent(actor: User, items: list[Item]) -> None:
    for item_id, reason in _without_consent(actor, items).items():
        raise ValidationError(
            _("Evidence item %(id)s cannot be packaged: %(reason)s")
            % {"id": item_id, "reason": reason}
        )


def _reasons(actor: User, organisation: Organisation, ids: Sequence[int]) -> dict[int, str]:
    """Items the policy refuses for a reason the actor may know (a survivor's consent to
    recorded statements and images, ``survivors.gate_items``), with that reason."""
    chosen = Item.objects.filter(organisation=organisation, pk__in=ids).order_by("pk")
    return {
        item.pk: str(decision.reason)
        for item, decision in policy.held_back(actor, "package", chosen)
    }


def _refuse_with_reason(actor: User, organisation: Organisation, ids: Sequence[int]) -> None:
    for item_id, reason in _reasons(actor, organisation, ids).items():
        raise ValidationError(
            _("Evidence item %(id)s cannot be packaged: %(reason)s")
            % {"id": item_id, "reason": reason}
        )


def _tombstones(actor: User, organisation: Organisation, ids: Sequence[int]) -> list[int]:
    """Items among ``ids`` (that ``actor`` may view) whose file was removed: a package never
    holds a tombstone (``--all`` leaves them out)."""
    return sorted(
        policy.visible(actor, Item, "view")
        .filter(organisation=organisation, pk__in=ids, tombstone__isnull=False)
        .values_list("pk", flat=True)
    )


TOMBSTONE = gettext_lazy("Its file was removed for legal reasons and only a tombstone is left.")


def _refuse_tombstones(actor: User, organisation: Organisation, ids: Sequence[int]) -> None:
    removed = _tombstones(actor, organisation, ids)
    if removed:
        raise ValidationError(
            _("Evidence item(s) %(ids)s cannot be packaged: their file was removed for legal "
              "reasons and only a tombstone is left.") % {"ids": ", ".join(map(str, removed))}
        )  # fmt: skip


@dataclass(frozen=True)
class Sorted:
    """:func:`sort_items`' answer: what may be packaged, what is held back and why (by number,
    for items the actor may know of), and how many others the actor may not see at all."""

    items: list[Item]
    held_back: list[tuple[int, str]]
    unseen: int


def sort_items(actor: User, organisation: Organisation, ids: Sequence[int]) -> Sorted:
    """The items of ``ids`` that :func:`select_items` would take, and the others with the
    reason it would refuse each for (the same checks: need-to-know, a survivor's consent on
    the item and on its linked persons, a removed file); for a caller that packages what it
    may and lists the rest (the law app's case evidence). No id is refused outright."""
    policy.require(actor, "evidence.package", organisation)
    wanted = sorted(set(ids))
    removed = _tombstones(actor, organisation, wanted)
    held = [(pk, str(TOMBSTONE)) for pk in removed]
    allowed = policy.visible(actor, Item, "package").filter(organisation=organisation)
    allowed = allowed.filter(pk__in=wanted).exclude(pk__in=removed)
    items = list(allowed.select_related("original", "organisation", "tombstone").order_by("pk"))
    missing = sorted(set(wanted) - {item.pk for item in items} - set(removed))
    reasons = _reasons(actor, organisation, missing)
    held += sorted(reasons.items())
    consent = _without_consent(actor, items)
    held += sorted(consent.items())
    items = [item for item in items if item.pk not in consent]
    return Sorted(items, sorted(held), len(missing) - len(reasons))


def _linked_to_incident(actor: User, organisation: Organisation, incident_id: int) -> list[int]:
    """Ids of the items linked to the incident or to one of its violations."""
    incident = (
        policy.visible(actor, Incident, "view")
        .filter(pk=incident_id, organisation=organisation)
        .first()
    )
    if incident is None:
        raise ValidationError(
            _("There is no incident %(id)s you may open in this organisation.")
            % {"id": incident_id}
        )
    links = Link.objects.filter(Q(incident=incident) | Q(violation__incident=incident))
    return sorted(set(links.values_list("item_id", flat=True)))


def _finish(
    archive: zipfile.ZipFile, actor: User, organisation: Organisation, items: list[Item],
    package_id: str, out_name: str, selection: dict[str, Any] | None,
) -> Packaged:  # fmt: skip
    for item in items:
        append_custody(
            actor, item, CustodyEntry.Event.EXPORTED, {"package": package_id, "file": out_name}
        )
    verifier = build.VERIFY_SOURCE.read_bytes()
    public = signing.public_pem()
    tools = {v.VERIFIER: hashlib.sha256(verifier).hexdigest(),
             v.PUBLIC_KEY: hashlib.sha256(public).hexdigest()}  # fmt: skip
    raw = manifests.encode(manifests.manifest(package_id, actor, items, tools, selection))
    token = timestamp.stamp(raw)
    for name, data in ((v.MANIFEST, raw), (v.SIGNATURE, signing.sign(raw)),
                       (v.PUBLIC_KEY, public), (v.VERIFIER, verifier),
                       (v.README, build.README.encode()),
                       *(((v.TIMESTAMP, token),) if token else ())):  # fmt: skip
        build.write_member(archive, name, data)
    digest = manifests.sha256_hex(raw)
    record(
        actor, "evidence.package", organisation, organisation_id=organisation.pk,
        diff={"package": package_id, "item_ids": [i.pk for i in items], "manifest_sha256": digest,
              "timestamped": token is not None, "file": out_name, "selection": selection},
    )  # fmt: skip
    return Packaged(package_id, len(items), digest, token is not None)


def package_items(
    actor: User, organisation: Organisation, items: list[Item], out: Path,
    progress: build.Progress | None = None, then: Callable[[Packaged], None] | None = None,
    selection: dict[str, Any] | None = None,
) -> Packaged:  # fmt: skip
    """Write the package of ``items`` (from :func:`select_items`) to ``out``; ``then`` runs
    in the transaction of the custody entries, after the ZIP took its name (so a record that
    says "ready" commits with them, or not at all). ``selection`` (a saved search's) is
    recorded in the manifest."""
    policy.require(actor, "evidence.package", organisation)
    for item in items:
        policy.require(actor, "package", item)
    package_id = str(uuid.uuid4())
    temporary = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        with (
            temporary.open("wb") as handle,
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive,
        ):
            build.write_files(archive, items, progress or (lambda done, total: None))
            with transaction.atomic():
                result = _finish(
                    archive, actor, organisation, items, package_id, out.name, selection
                )
                archive.close()
                handle.flush()
                os.fsync(handle.fileno())
                os.replace(temporary, out)
                if then is not None:
                    then(result)
    finally:
        temporary.unlink(missing_ok=True)
    return result


def packages_dir() -> Path:
    return Path(settings.EVIDENCE_DIR) / "packages"


def package_path(package: Package) -> Path:
    return packages_dir() / f"{package.pk}.zip"


def build_requested(package: Package, progress: build.Progress) -> Package:
    """The worker's part: build the package asked for, or record why it could not be."""
    actor, organisation = package.requester, package.organisation
    target = package_path(package)
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{target.name}.*.partial"):  # a killed earlier try's
        stale.unlink(missing_ok=True)
    selection = package.selection or None
    if selection is not None:  # a saved search's items, as it finds them now
        items = select_items(actor, organisation, None, selection=selection)
    else:
        items = select_items(actor, organisation, package.item_ids)

    def ready(done: Packaged) -> None:
        package.status, package.size = Package.Status.READY, target.stat().st_size
        package.manifest_sha256 = done.manifest_sha256
        package.expires_at = timezone.now() + timedelta(hours=settings.EVIDENCE_PACKAGE_TTL_HOURS)
        package.save(update_fields=["status", "size", "manifest_sha256", "expires_at"])

    if selection is not None:
        package.item_ids = [item.pk for item in items]
        package.save(update_fields=["item_ids"])
    package_items(actor, organisation, items, target, progress, then=ready, selection=selection)
    return package


def fail_requested(package: Package, problem: str) -> None:
    package.status, package.problem = Package.Status.FAILED, problem[:500]
    package.save(update_fields=["status", "problem"])
    package_path(package).unlink(missing_ok=True)


def open_download(actor: User, package: Package) -> BinaryIO:
    """The ready package's bytes for its requester; audited."""
    policy.require(actor, "download", package)
    if package.status == Package.Status.EXPIRED:
        raise ValidationError(
            _("This package expired and its file was deleted; ask for a new one.")
        )
    if package.status != Package.Status.READY:
        raise ValidationError(_("This package is not ready."))
    handle = package_path(package).open("rb")
    record(actor, "evidence.package.downloaded", package,
           organisation_id=package.organisation_id,
           diff={"manifest_sha256": package.manifest_sha256})  # fmt: skip
    return handle
