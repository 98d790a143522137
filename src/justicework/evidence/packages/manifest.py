"""What ``manifest.json`` says: the package's origin and, per item, its file (path in the ZIP,
hashes, size, media type), names, collection record, chain of custody with its hashes, its
verification status and findings, its links (incidents by reference, persons by code only),
the metadata read from the file (``provenance``: EXIF and GPS, PDF information, container
data, as stored in the item's ``Provenance`` row) and its C2PA Content Credentials result
(``c2pa``: state, signer, claim generator, claimed capture, actions, failure codes). Both are
``null`` when the file was never read. Since version 2 (version 1 had neither).

The file of an item is stored at ``files/<sha256>/<neutralised name>``; two items holding the
same bytes under the same name share one file. Custody entries carry every field their hash
covers (``evidence.custody.payload``), so a verifier recomputes each hash from the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings

from justicework.core.models import User
from justicework.evidence.intake.naming import neutralise
from justicework.evidence.models import CustodyEntry, Finding, Item, Link, Provenance
from justicework.evidence.packages import signing
from justicework.evidence.packages.verify import FORMAT, VERSION

KEY_PATH = "/.well-known/justicework/evidence-key"


def file_path(item: Item) -> str:
    return f"files/{item.original.sha256}/{neutralise(item.display_name)}"


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _custody(entry: CustodyEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq, "event": entry.event, "actor_id": entry.actor_id,
        "actor_label": entry.actor_label, "at": _iso(entry.at), "detail": entry.detail,
        "prev_hash": entry.prev_hash, "hash": entry.hash,
    }  # fmt: skip


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.pk, "level": finding.level, "text": finding.text,
        "confidence": finding.confidence, "reviewer_id": finding.reviewer_id,
        "reviewer_label": finding.reviewer_label, "at": _iso(finding.at),
    }  # fmt: skip


LINK_FIELDS = (
    "item_id", "kind", "created_at", "incident_id", "incident__external_ref", "violation_id",
    "violation__incident_id", "person_id", "person__code", "source_id",
)  # fmt: skip


def _link(row: dict[str, Any]) -> dict[str, Any]:
    """A link as the package states it: numbers and pseudonymous references (an incident's
    reference, a person's code), never a person's identity."""
    kind = row["kind"]
    out: dict[str, Any] = {
        "kind": kind, "id": row[f"{kind}_id"], "linked_at": _iso(row["created_at"])
    }  # fmt: skip
    if kind == Link.Kind.INCIDENT:
        out["reference"] = row["incident__external_ref"]
    elif kind == Link.Kind.VIOLATION:
        out["incident"] = row["violation__incident_id"]
    elif kind == Link.Kind.PERSON:
        out["code"] = row["person__code"]
    return out


def _provenance(row: Provenance | None) -> dict[str, Any] | None:
    """The metadata claims read from the file, as stored (never re-read at packaging)."""
    if row is None:
        return None
    return {
        "kind": row.kind, "metadata": row.metadata, "findings": row.findings,
        "captured_local": row.captured_local, "captured_offset": row.captured_offset,
        "latitude": row.latitude, "longitude": row.longitude,
        "extracted_at": _iso(row.extracted_at),
    }  # fmt: skip


def item_entry(
    item: Item,
    custody: Sequence[CustodyEntry],
    findings: Sequence[Finding] = (),
    links: Sequence[dict[str, Any]] = (),
    provenance: Provenance | None = None,
) -> dict[str, Any]:
    original = item.original
    return {
        "id": item.pk,
        "organisation": item.organisation.slug,
        "display_name": item.display_name,
        "submitted_name": item.submitted_name,
        "extension_matches": item.extension_matches,
        "status": item.status,
        "created_at": _iso(item.created_at),
        "file": {
            "path": file_path(item),
            "sha256": original.sha256,
            "sha512": original.sha512,
            "size": original.size,
            "media_type": original.media_type,
        },
        "collection": {
            "collector": item.collector,
            "collected_at": _iso(item.collected_at),
            "tool": item.collection_tool,
            "source_url": item.source_url,
            "method": item.collection_method,
            "sha256_at_collection": item.sha256_at_collection,
        },
        "custody": [_custody(entry) for entry in custody],
        "findings": [_finding(finding) for finding in findings],
        "links": [_link(row) for row in links],
        "provenance": _provenance(provenance),
        "c2pa": None if provenance is None else provenance.credentials,
    }


def manifest(
    package_id: str,
    creator: User,
    items: Sequence[Item],
    tools: dict[str, str],
    selection: dict[str, Any] | None = None,
) -> dict[str, Any]:
    by_item: dict[int, list[CustodyEntry]] = {item.pk: [] for item in items}
    for entry in CustodyEntry.objects.filter(item__in=items).order_by("item_id", "seq"):
        by_item[entry.item_id].append(entry)
    findings: dict[int, list[Finding]] = {item.pk: [] for item in items}
    for finding in Finding.objects.filter(item__in=items).order_by("item_id", "at", "pk"):
        findings[finding.item_id].append(finding)
    links: dict[int, list[dict[str, Any]]] = {item.pk: [] for item in items}
    rows = Link.objects.filter(item__in=items).order_by("item_id", "created_at", "pk")
    for row in rows.values(*LINK_FIELDS):
        links[row["item_id"]].append(row)
    rows_by_original = Provenance.objects.filter(original_id__in={i.original_id for i in items})
    provenance = {row.original_id: row for row in rows_by_original}
    return {
        "format": FORMAT,
        "version": VERSION,
        "package_id": package_id,
        "instance": {
            "name": settings.EVIDENCE_INSTANCE_NAME,
            "public_key_url": KEY_PATH,
            "public_key_sha256": signing.fingerprint(),
        },
        "created_at": _iso(dt.datetime.now(dt.UTC)),
        "creator": {"id": creator.pk, "email": creator.email},
        "hashes": ["sha256", "sha512"],
        "custody_hash": "SHA-256(prev_hash || canonical JSON of item, seq, event, actor_id, "
        "actor_label, at, detail), from 64 zeros",
        "tools": tools,
        "selection": selection,
        "items": [
            item_entry(
                item,
                by_item[item.pk],
                findings[item.pk],
                links[item.pk],
                provenance.get(item.original_id),
            )
            for item in items
        ],
    }


def encode(data: dict[str, Any]) -> bytes:
    """The manifest's bytes (these exact bytes are signed and timestamped)."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
