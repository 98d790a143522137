"""Copying an item to a partner organisation of the coalition on this instance (docs/evidence.md,
"Custody: copies, downloads, hand-overs").

The copy is a new item of the receiving organisation holding the same content: the same
``Original`` row when it is stored in clear (content-addressed, stored once). A sealed original
(``EVIDENCE_ENCRYPT``) is the exception ``storage.originals`` explains: it is sealed under the
source organisation's data key, which the receiving organisation must never depend on, so its
plaintext is sealed again under the receiver's key (an ``Original`` of that organisation, once
per content: one it holds already is reused). Hashes are of the plaintext either way, and the
re-sealed bytes are hashed on the way and must match.

A copy shares what the item shows with another organisation: each person the item is linked
to must not have refused (or withdrawn) sharing with that organisation or its kind, asked of the
one policy under the use ``evidence.copy`` (scope sharing, qualified by the receiving
organisation's name and kind), as a referral asks for a named provider and its kind.

The two chains name each other: the source gets "copied" (to which organisation and item, and
the source chain's head at the time), the copy starts with "received" (from which organisation
and item, that same head, the SHA-256), then "sealed" when its original is protected at rest.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.core import policy, uses
from justicework.core.models import Organisation, User
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.actions.files import check_room
from justicework.evidence.actions.items import create_item
from justicework.evidence.models import CustodyEntry, Item, Link, Original
from justicework.evidence.storage import sealing, store
from justicework.evidence.storage.originals import open_original, place, vault_for

E = CustodyEntry.Event
COPY_USE = "evidence.copy"
BLOCK = 1024 * 1024


def _where(original: Original) -> dict[str, Any]:
    return {
        "sha256": original.sha256, "sha512": original.sha512, "size": original.size,
        "media_type": original.media_type, "storage_key": original.storage_key,
        "vault": original.vault_id, "backend": original.backend,
        "lock_mode": original.lock_mode, "retain_until": original.retain_until,
    }  # fmt: skip


def _reseal(source: Original, target: Organisation) -> dict[str, Any]:
    """The source's plaintext stored for ``target`` (sealed under its key when encryption is
    on, else in clear), streamed through a file beside the vault; the row's fields."""
    vault = vault_for(target.pk)
    held = Original.objects.filter(sha256=source.sha256, vault_id=vault).first()
    if held is not None:
        return _where(held)
    temporary = store().incoming_dir() / f"copy-{os.getpid()}-{uuid.uuid4().hex}.part"
    try:
        digest = hashlib.sha256()
        with open_original(source) as reading, temporary.open("wb") as writing:
            while block := reading.read(BLOCK):
                digest.update(block)
                writing.write(block)
            writing.flush()
            os.fsync(writing.fileno())
        if digest.hexdigest() != source.sha256:
            raise sealing.OriginalDamaged(
                _("The original %(sha256)s no longer has its hash: it was not copied.")
                % {"sha256": source.sha256}
            )
        placed = place(source.sha256, temporary, target.pk)
    finally:
        temporary.unlink(missing_ok=True)
        temporary.with_suffix(".sealed").unlink(missing_ok=True)
    return {**_where(source), "storage_key": placed.key, "vault": placed.vault,
            "backend": placed.backend, "lock_mode": placed.lock_mode,
            "retain_until": placed.retain_until}  # fmt: skip


def _check(actor: User, item: Item, target: Organisation) -> None:
    policy.require(actor, "copy", item)
    if target.pk == item.organisation_id:
        raise ValidationError(
            {"organisation": [_("The item belongs to this organisation already.")]}
        )
    policy.require(actor, "evidence.upload", target)
    _sharing_allowed(actor, item, target)
    check_room(target, item.original.sha256, item.original.size)


def _sharing_allowed(actor: User, item: Item, target: Organisation) -> None:
    """Every person linked to ``item`` may have what it shows shared with ``target`` (their
    consent to sharing with it by name, or with its kind); else a ``ValidationError`` naming
    the person's code and the missing consent, and nothing is copied."""
    links = Link.objects.filter(item=item, kind=Link.Kind.PERSON, person__isnull=False)
    with uses.using(COPY_USE, qualifier=target.name, kind=target.kind):
        for link in links.select_related("person").order_by("pk"):
            assert link.person is not None  # filtered above
            decision = policy.can(actor, "view", link.person)
            if not decision:
                raise ValidationError({"organisation": [
                    _("%(code)s: %(reason)s Nothing was copied.")
                    % {"code": link.person.code, "reason": decision.reason}
                ]})  # fmt: skip


def copy_item(actor: User, item: Item, target: Organisation) -> Item:
    """A copy of ``item`` in ``target`` (a partner receiving the evidence), with its collection
    record and its own chain. Needs ``copy`` on the item and ``evidence.upload`` in
    ``target`` (``PermissionDenied`` naming what is missing); the quota of ``target``
    applies (``OverQuota``); copying to the item's own organisation is a ``ValidationError``."""
    _check(actor, item, target)
    source = item.original
    original = _where(source) if source.vault_id is None else _reseal(source, target)
    with transaction.atomic():
        locked = Item.objects.select_for_update().select_related("original").get(pk=item.pk)
        _check(actor, locked, target)  # a removal may have happened while re-sealing
        head = CustodyEntry.objects.filter(item=locked).order_by("-seq").first()
        head_hash = head.hash if head else ""
        copy = create_item(
            actor, target, original=original, display_name=locked.display_name,
            submitted_name=locked.submitted_name, extension_matches=locked.extension_matches,
            record_fields=_record(locked), graphic=locked.graphic, collected_entry=False,
            received={"from_organisation": locked.organisation_id, "from_item": locked.pk,
                      "from_chain_head": head_hash},
        )  # fmt: skip
        append_custody(actor, locked, E.COPIED, {
            "to_organisation": target.pk, "to_item": copy.pk,
            "source_chain_head": head_hash, "sha256": source.sha256,
        })  # fmt: skip
    return copy


def _record(item: Item) -> dict[str, Any]:
    """The collection record (Berkeley Protocol), as it was given with the source item."""
    values = {
        "collector": item.collector, "collected_at": item.collected_at,
        "collection_tool": item.collection_tool, "source_url": item.source_url,
        "collection_method": item.collection_method,
        "sha256_at_collection": item.sha256_at_collection,
    }  # fmt: skip
    return {key: value for key, value in values.items() if value not in ("", None)}


def copy_targets(actor: User, item: Item) -> list[Organisation]:
    """The organisations ``actor`` may copy ``item`` to (where they may upload), by name;
    empty when they may not copy it."""
    if not policy.can(actor, "copy", item):
        return []
    ids = set(policy.allowed_organisation_ids(actor, "evidence.upload")) - {item.organisation_id}
    return list(Organisation.objects.filter(pk__in=sorted(ids)).order_by("name"))
