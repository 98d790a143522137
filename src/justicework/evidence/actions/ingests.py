"""Bulk ingest of a folder or a ZIP on the server (``justicework evidence ingest``).

Two passes. ``plan_ingest`` reads every file once (hashing it, finding its type from its
first bytes, counting its real size against the ZIP-bomb limits, ``intake.sources``) and
writes nothing: each file is "new", "present" (an item of this organisation already holds
these bytes under this path, brought by an ingest: a re-run after a crash skips it) or
"skipped"; any refusal (path traversal, a link, a bomb, a file too large, the quota for all
the new files together) refuses the whole run before anything is written. ``run_ingest`` then
copies each new file into the vault, hashing while it copies, and makes its item through
``ingest_file``, the one function every ingested item passes through.

A run killed at any moment leaves complete items only: an item is committed after its original
is stored, and an original stored without its item (a kill between the two) gets its item from
the re-run (the same bytes are stored once). Copies in progress are named for their process and
removed by the next run once that process is gone.

With an incident (``--incident N``), every item of the run is linked to it through
``actions.links.link_item``: a new item in the transaction that creates it, an item a killed run
left unlinked by the re-run (so a resumed run ends with every item linked, once). The incident
and the actor's right to link are checked in the plan, before anything is written.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.evidence.actions.files import store_file
from justicework.evidence.actions.links import link_item
from justicework.evidence.intake import filetype, naming, quota
from justicework.evidence.intake.hashing import Digests, StreamHasher
from justicework.evidence.intake.sources import Budget, Entry, IngestRefused, Source, open_source
from justicework.evidence.models import Item, Link, Original
from justicework.evidence.storage import store
from justicework.violations.models import Incident

METHOD = "bulk ingest"
TOOL = "justicework evidence ingest"
HEAD = 64 * 1024
BLOCK = 1 << 20


@dataclass
class Planned:
    entry: Entry
    status: str  # "new", "present" or "skipped"
    reason: str = ""
    sha256: str = ""
    size: int = 0
    media_type: str = ""
    warning: str = ""  # the name's extension does not fit the content
    item_id: int | None = None
    linked: bool = False  # a present item already linked to the plan's incident


@dataclass
class Plan:
    path: Path
    rows: list[Planned] = field(default_factory=list)
    incident: Incident | None = None  # every item is linked to it

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def _kind_of_head(head: bytes) -> filetype.FileType:
    probe = store().incoming_dir() / f"probe-{os.getpid()}-{uuid.uuid4().hex}"
    try:
        probe.write_bytes(head)
        return filetype.detect(probe)
    finally:
        probe.unlink(missing_ok=True)


def _scan(source: Source, entry: Entry, budget: Budget) -> Planned:
    hasher, head, size = StreamHasher(), b"", 0
    stream = source.open(entry, budget)
    try:
        while block := stream.read(BLOCK):
            hasher.update(block)
            if len(head) < HEAD:
                head += block[: HEAD - len(head)]
            size += len(block)
    finally:
        stream.close()
    limit = int(settings.EVIDENCE_MAX_UPLOAD_BYTES)
    if size > limit:
        raise IngestRefused(
            _("%(path)s: %(size)s bytes, more than the %(limit)s allowed for one file. Nothing "
              "was ingested.") % {"path": entry.path, "size": f"{size:,}", "limit": f"{limit:,}"}
        )  # fmt: skip
    kind = _kind_of_head(head) if size else filetype.FileType(filetype.UNKNOWN, frozenset())
    ext = naming.extension(naming.neutralise(entry.path))
    warning = ""
    if kind.fits(ext) is False:
        warning = _("its name says .%(ext)s but its content is %(type)s") % {
            "ext": ext, "type": kind.media_type}  # fmt: skip
    return Planned(entry, "new", sha256=hasher.digests().sha256, size=size,
                   media_type=kind.media_type, warning=warning)  # fmt: skip


def _present(organisation: Organisation, row: Planned) -> Item | None:
    return Item.objects.filter(
        organisation=organisation, original__sha256=row.sha256, collection_method=METHOD,
        submitted_name=naming.escaped(row.entry.path),
    ).first()  # fmt: skip


def _check_quota(organisation: Organisation, rows: list[Planned]) -> None:
    new = {row.sha256: row.size for row in rows if row.status == "new"}
    held = set(
        Original.objects.filter(sha256__in=new, items__organisation=organisation).values_list(
            "sha256", flat=True
        )
    )
    quota.check(organisation, sum(size for sha, size in new.items() if sha not in held))


def incident_to_link(actor: User, organisation: Organisation, incident_id: int) -> Incident:
    """The incident every ingested item will be linked to: one of ``organisation`` that
    ``actor`` may open and link evidence to (``PermissionDenied`` or ``IngestRefused`` naming
    it otherwise, with the same words for another organisation's, a hidden and a missing one)."""
    policy.require(actor, "evidence.link", organisation)
    policy.require(actor, "evidence.view", organisation)
    incident = (
        policy.visible(actor, Incident, "view")
        .filter(pk=incident_id, organisation=organisation)
        .first()
    )
    if incident is None:
        raise IngestRefused(
            _("There is no incident %(id)s you may open in %(organisation)s to link the items "
              "to. Nothing was ingested.") % {"id": incident_id, "organisation": organisation.name}
        )  # fmt: skip
    return incident


def _is_linked(item_id: int, incident: Incident) -> bool:
    return Link.objects.filter(item_id=item_id, incident=incident).exists()


def plan_ingest(actor: User, organisation: Organisation, path: Path,
                incident_id: int | None = None) -> Plan:  # fmt: skip
    """What an ingest of ``path`` would do (nothing is written); ``IngestRefused`` or
    ``OverQuota`` when the run is refused. With ``incident_id``, the incident every item is
    linked to (checked first)."""
    policy.require(actor, "evidence.upload", organisation)
    plan, budget = Plan(path), Budget()
    if incident_id is not None:
        plan.incident = incident_to_link(actor, organisation, incident_id)
    source = open_source(path)
    try:
        for entry in source.entries():
            if entry.skip:
                plan.rows.append(Planned(entry, "skipped", entry.skip))
                continue
            row = _scan(source, entry, budget)
            present = _present(organisation, row)
            if present is not None:
                row.status, row.item_id = "present", present.pk
                row.linked = plan.incident is not None and _is_linked(present.pk, plan.incident)
            plan.rows.append(row)
    finally:
        source.close()
    _check_quota(organisation, plan.rows)
    return plan


def _copy(source: Source, row: Planned, budget: Budget, target: Path) -> tuple[str, str, int]:
    hasher, size = StreamHasher(), 0
    stream = source.open(row.entry, budget)
    try:
        with target.open("wb") as out:
            while block := stream.read(BLOCK):
                out.write(block)
                hasher.update(block)
                size += len(block)
            out.flush()
            os.fsync(out.fileno())
    finally:
        stream.close()
    digests = hasher.digests()
    return digests.sha256, digests.sha512, size


def ingest_file(actor: User, organisation: Organisation, source: Source, row: Planned,
                budget: Budget, origin: str, incident: Incident | None = None) -> Item:  # fmt: skip
    """Copy one planned file into the vault (hashing while copying) and make its item: every
    ingested item is made here (and only here), linked to ``incident`` in the same
    transaction."""
    temporary = store().incoming_dir() / f"ingest-{os.getpid()}-{uuid.uuid4().hex}.part"
    try:
        sha256, sha512, size = _copy(source, row, budget, temporary)
        if sha256 != row.sha256:
            raise IngestRefused(
                _("%(path)s changed while it was being ingested (SHA-256 %(now)s, not %(then)s); "
                  "run the ingest again.") % {"path": row.entry.path, "now": sha256,
                                              "then": row.sha256}
            )  # fmt: skip
        with transaction.atomic():  # an item is never committed without its link
            item = store_file(
                actor, organisation, temporary, digests=Digests(sha256, sha512), size=size,
                name=row.entry.path,
                record_fields={"collector": actor.email[:200], "collection_tool": TOOL,
                               "collection_method": METHOD},
                received={"ingest_source": origin[:500], "path": naming.escaped(row.entry.path)},
            )  # fmt: skip
            if incident is not None:
                link_item(actor, item, incident)
        row.linked = incident is not None
        return item
    finally:
        temporary.unlink(missing_ok=True)


def sweep_incoming() -> int:
    """Remove the copies left by ingests whose process is gone (killed); how many."""
    removed = 0
    for leftover in store().incoming_dir().glob("ingest-*"):  # .part, and .sealed when sealing
        pid = leftover.name.split("-")[1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _link_present(actor: User, row: Planned, incident: Incident | None) -> None:
    """Link an item brought by an earlier (perhaps killed) run, unless it is linked already."""
    if incident is None or row.item_id is None or _is_linked(row.item_id, incident):
        return
    item = Item.objects.select_related("organisation").get(pk=row.item_id)
    link_item(actor, item, incident)
    row.linked = True


def run_ingest(actor: User, organisation: Organisation, path: Path,
               on_item: Callable[[Planned], None] | None = None,
               incident_id: int | None = None) -> Plan:  # fmt: skip
    """Plan, then ingest every new file; the plan, each new row with its item. With
    ``incident_id``, every item of the folder (new or present) ends linked to that incident."""
    plan = plan_ingest(actor, organisation, path, incident_id)
    incident = plan.incident
    origin, run_id = str(path.resolve()), str(uuid.uuid4())
    record(actor, "evidence.ingest.started", organisation_id=organisation.pk,
           object_type="evidence.ingest", object_id=run_id,
           diff={"source": origin[:500], "new": plan.count("new"),
                 "present": plan.count("present"), "skipped": plan.count("skipped"),
                 "incident": incident.pk if incident else None})  # fmt: skip
    sweep_incoming()
    source, budget = open_source(path), Budget()
    try:
        for row in plan.rows:
            if row.status == "present":
                _link_present(actor, row, incident)
            if row.status != "new":
                continue
            present = _present(organisation, row)  # another run may have brought it meanwhile
            if present is None:
                present = ingest_file(actor, organisation, source, row, budget,
                                      f"{origin} (run {run_id})", incident)  # fmt: skip
            row.item_id = present.pk
            _link_present(actor, row, incident)
            if on_item is not None:
                on_item(row)
    finally:
        source.close()
    record(actor, "evidence.ingest.finished", organisation_id=organisation.pk,
           object_type="evidence.ingest", object_id=run_id,
           diff={"items": [r.item_id for r in plan.rows if r.status == "new"]})  # fmt: skip
    return plan
