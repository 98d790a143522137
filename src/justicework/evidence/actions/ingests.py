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
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.evidence.actions.files import store_file
from justicework.evidence.intake import filetype, naming, quota
from justicework.evidence.intake.hashing import Digests, StreamHasher
from justicework.evidence.intake.sources import Budget, Entry, IngestRefused, Source, open_source
from justicework.evidence.models import Item, Original
from justicework.evidence.storage import store

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


@dataclass
class Plan:
    path: Path
    rows: list[Planned] = field(default_factory=list)

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


def plan_ingest(actor: User, organisation: Organisation, path: Path) -> Plan:
    """What an ingest of ``path`` would do (nothing is written); ``IngestRefused`` or
    ``OverQuota`` when the run is refused."""
    policy.require(actor, "evidence.upload", organisation)
    plan, budget = Plan(path), Budget()
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
                budget: Budget, origin: str) -> Item:  # fmt: skip
    """Copy one planned file into the vault (hashing while copying) and make its item: every
    ingested item is made here (and only here)."""
    temporary = store().incoming_dir() / f"ingest-{os.getpid()}-{uuid.uuid4().hex}.part"
    try:
        sha256, sha512, size = _copy(source, row, budget, temporary)
        if sha256 != row.sha256:
            raise IngestRefused(
                _("%(path)s changed while it was being ingested (SHA-256 %(now)s, not %(then)s); "
                  "run the ingest again.") % {"path": row.entry.path, "now": sha256,
                                              "then": row.sha256}
            )  # fmt: skip
        return store_file(
            actor, organisation, temporary, digests=Digests(sha256, sha512), size=size,
            name=row.entry.path,
            record_fields={"collector": actor.email[:200], "collection_tool": TOOL,
                           "collection_method": METHOD},
            received={"ingest_source": origin[:500], "path": naming.escaped(row.entry.path)},
        )  # fmt: skip
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


def run_ingest(actor: User, organisation: Organisation, path: Path,
               on_item: Callable[[Planned], None] | None = None) -> Plan:  # fmt: skip
    """Plan, then ingest every new file; the plan, each new row with its item."""
    plan = plan_ingest(actor, organisation, path)
    origin, run_id = str(path.resolve()), str(uuid.uuid4())
    record(actor, "evidence.ingest.started", organisation_id=organisation.pk,
           object_type="evidence.ingest", object_id=run_id,
           diff={"source": origin[:500], "new": plan.count("new"),
                 "present": plan.count("present"), "skipped": plan.count("skipped")})  # fmt: skip
    sweep_incoming()
    source, budget = open_source(path), Budget()
    try:
        for row in plan.rows:
            if row.status != "new":
                continue
            present = _present(organisation, row)  # another run may have brought it meanwhile
            item = present or ingest_file(actor, organisation, source, row, budget,
                                          f"{origin} (run {run_id})")  # fmt: skip
            row.item_id = item.pk
            if on_item is not None:
                on_item(row)
    finally:
        source.close()
    record(actor, "evidence.ingest.finished", organisation_id=organisation.pk,
           object_type="evidence.ingest", object_id=run_id,
           diff={"items": [r.item_id for r in plan.rows if r.status == "new"]})  # fmt: skip
    return plan
