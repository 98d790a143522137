"""What ``manifest.json`` says: the package's origin and, per item, its file (path in the ZIP,
hashes, size, media type), names, collection record and chain of custody with its hashes.

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
from justicework.evidence.models import CustodyEntry, Item
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


def item_entry(item: Item, custody: Sequence[CustodyEntry]) -> dict[str, Any]:
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
        "findings": [],
    }


def manifest(
    package_id: str, creator: User, items: Sequence[Item], tools: dict[str, str]
) -> dict[str, Any]:
    by_item: dict[int, list[CustodyEntry]] = {item.pk: [] for item in items}
    for entry in CustodyEntry.objects.filter(item__in=items).order_by("item_id", "seq"):
        by_item[entry.item_id].append(entry)
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
        "items": [item_entry(item, by_item[item.pk]) for item in items],
    }


def encode(data: dict[str, Any]) -> bytes:
    """The manifest's bytes (these exact bytes are signed and timestamped)."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
