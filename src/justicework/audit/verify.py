"""Walking the audit chain from genesis (``justicework audit verify``).

What a successful walk proves, and what it cannot (docs/security.md, section ``audit``):

* Every keyed entry was written by someone holding the audit key: a row INSERTed, altered,
  reordered or re-hashed with the database alone fails here (the hash is an HMAC).
* No entry between genesis and the head is missing, inserted or moved (``seq`` and ``prev_hash``).
* Entries written before the chain was keyed (plain SHA-256) are accepted only as an unbroken
  prefix that a keyed entry follows: the keyed entry's hash covers the prefix's last hash, so the
  prefix cannot be rewritten either. An unkeyed entry after a keyed one, or an unkeyed head,
  fails.
* Entries cut off the end: a prefix of a valid chain is a valid chain, so the entries alone
  cannot show it. The sealed head (``AuditHead``: the newest ``seq`` and ``hash`` under an HMAC
  of the audit key, rewritten by every append) can: cutting the chain back to an earlier entry
  needs that entry's seal, which only the key makes. What it cannot stop is a *replay*: someone
  who copied the head row when entry #N was the newest can later cut the chain back to #N and
  put that row back. A signed checkpoint kept outside the server (``audit checkpoint``) proves
  that the chain still reaches the head it recorded, so only entries written after the newest
  checkpoint are exposed to that.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from justicework.audit.chain import (
    _FIELD_ORDER,
    GENESIS_HASH,
    HEAD_ID,
    compute_hash,
    entry_payload,
    head_mac,
    legacy_hash,
    payload_of,
    record,
)
from justicework.audit.models import AuditEntry, AuditHead

#: The action of the keyed entry appended once to seal a chain begun before it was keyed.
KEYED_MARKER = "audit.chain_keyed"


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    #: The first keyed entry's ``seq`` (1 for a chain keyed from the start; ``None`` if empty).
    keyed_from: int | None = None


def iter_entries(batch: int = 2000) -> Iterator[AuditEntry]:
    """Every entry in ``seq`` order, in batches (no filter on the first batch, so a forged
    entry with a zero or negative ``seq`` is seen too)."""
    queryset = AuditEntry.objects.order_by("seq")
    rows = list(queryset[:batch])
    while rows:
        yield from rows
        rows = list(queryset.filter(seq__gt=rows[-1].seq)[:batch])


_ROW_FIELDS = _FIELD_ORDER[1:]  # every stored field but the id
ROW_FIELDS = _ROW_FIELDS


def _iter_rows(batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    """Like :func:`iter_entries`, as tuples in ``_ROW_FIELDS`` order (no model instances:
    verifying is about a quarter faster)."""
    queryset = AuditEntry.objects.order_by("seq").values_list(*_ROW_FIELDS)
    rows = list(queryset[:batch])
    while rows:
        yield from rows
        rows = list(queryset.filter(seq__gt=rows[-1][0])[:batch])


def _sequence_problem(seq: int, expected_seq: int) -> tuple[int, str] | None:
    if seq > expected_seq:
        return expected_seq, (
            f"entry #{expected_seq} is missing (the sequence jumps from {expected_seq - 1} "
            f"to {seq}): an entry was deleted"
        )
    if seq < expected_seq:
        return (
            seq,
            f"entry #{seq} is out of sequence (expected #{expected_seq}): an entry was inserted",
        )
    return None


def _hash_kind(row: tuple[Any, ...], legacy_allowed: bool) -> str | None:
    """``"keyed"`` or ``"legacy"`` for the hash that matches the row's content, else ``None``.
    Legacy is only tried while the chain may still be in its unkeyed prefix."""
    payload = entry_payload(**dict(zip(_ROW_FIELDS[:9], row[:9], strict=True)))
    prev_hash, entry_hash = row[9], row[10]
    if compute_hash(prev_hash, payload) == entry_hash:
        return "keyed"
    if legacy_allowed and legacy_hash(prev_hash, payload) == entry_hash:
        return "legacy"
    return None


def _content_problem(seq: int, keyed_from: int | None, checked: int) -> str:
    if keyed_from is not None:
        return (
            "content does not match its keyed hash: the entry was altered or written without "
            "the audit key"
        )
    if checked == 0:
        return (
            "content does not match its hash: the entry was altered, or JUSTICEWORK_AUDIT_KEY "
            "is not the key this chain was written with"
        )
    return "content does not match its hash: the entry was altered"


def verify_chain(rows: Iterable[tuple[Any, ...]] | None = None) -> VerifyResult:
    """Walk the chain from genesis. Detects altered, deleted, inserted and reordered rows,
    and rows written without the audit key: a missing or extra sequence number, a
    ``prev_hash`` that is not the previous entry's hash, a ``hash`` that is not the keyed hash
    of the entry's content, an unkeyed entry after a keyed one, or an unkeyed head.

    ``rows`` (tuples in ``ROW_FIELDS`` order, ``seq`` ascending) walks entries that are not in
    the database, e.g. a backup's; by default the database's."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    keyed_from: int | None = None
    last: tuple[int, str] = (0, GENESIS_HASH)
    for row in _iter_rows() if rows is None else rows:
        seq = row[0]
        problem = _sequence_problem(seq, expected_seq)
        if problem is not None:
            return VerifyResult(False, checked, problem[0], problem[1], keyed_from)
        if row[9] != expected_prev:
            return VerifyResult(
                False,
                checked,
                seq,
                "prev_hash does not match the previous entry's hash",
                keyed_from,
            )
        kind = _hash_kind(row, legacy_allowed=keyed_from is None)
        if kind is None:
            return VerifyResult(
                False, checked, seq, _content_problem(seq, keyed_from, checked), keyed_from
            )
        if kind == "keyed" and keyed_from is None:
            keyed_from = seq
        expected_prev = row[10]
        expected_seq += 1
        checked += 1
        last = (seq, row[10])
    if checked and keyed_from is None:
        return VerifyResult(
            False,
            checked,
            checked,
            "no entry is keyed: the newest entries were written without the audit key (a "
            "chain begun before the key existed is sealed by migration audit 0005)",
        )
    if rows is None:
        problem = head_problem(*last)
        if problem:
            return VerifyResult(False, checked, problem[0], problem[1], keyed_from)
    return VerifyResult(True, checked, keyed_from=keyed_from)


def head_problem(seq: int, entry_hash: str) -> tuple[int, str] | None:
    """What is wrong with the sealed head, given the newest entry walked (``seq`` 0 for an
    empty chain): (the entry to name, the problem), or ``None``."""
    sealed = AuditHead.objects.filter(pk=HEAD_ID).values_list("seq", "hash", "mac").first()
    if sealed is None:
        if seq == 0:
            return None
        return seq, "the sealed head of the chain is missing: entries may have been cut off the end"
    head_seq, head_hash, mac = sealed
    if mac != head_mac(head_seq, head_hash):
        return head_seq, "the sealed head was written without the audit key"
    if head_seq > seq:
        return seq + 1, (
            f"entries #{seq + 1}-#{head_seq} were cut off the end of the chain (the sealed head "
            f"is #{head_seq})"
        )
    if (head_seq, head_hash) != (seq, entry_hash):
        return seq, f"the newest entry is not the sealed head (#{head_seq})"
    return None


def seal_legacy_chain() -> AuditEntry | None:
    """Append the keyed marker entry after a chain whose newest entry is unkeyed (written
    before the audit key existed); return it, or ``None`` when there is nothing to seal. The
    marker's hash covers the unkeyed prefix, so the prefix can no longer be rewritten unseen.
    Entries are never re-hashed: they are immutable."""
    newest = AuditEntry.objects.order_by("-seq").first()
    if newest is None or compute_hash(newest.prev_hash, payload_of(newest)) == newest.hash:
        return None
    return record(
        None,
        KEYED_MARKER,
        object_type="audit.chain",
        diff={"unkeyed_through": newest.seq, "unkeyed_head": newest.hash},
    )
