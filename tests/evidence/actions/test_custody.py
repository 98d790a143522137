"""The custody chain: hash-chained per item, each entry also in the audit log."""

from __future__ import annotations

from django.db import connection

from justicework.audit.models import AuditEntry
from justicework.evidence import actions, custody, triggers
from justicework.evidence.models import CustodyEntry

from ..conftest import upload_file


def test_a_received_item_starts_its_chain_and_the_audit_log_has_it(documenter, acme):
    item = upload_file(documenter, acme, b"chain me", filename="c.txt")
    entries = list(item.custody.order_by("seq"))
    assert [(e.seq, e.event, e.prev_hash) for e in entries] == [(1, "received", custody.GENESIS)]
    assert custody.problems(entries) == []
    audited = AuditEntry.objects.get(action="evidence.custody.received")
    assert audited.diff["hash"] == entries[0].hash and audited.object_id == str(item.pk)
    assert audited.organisation_id == acme.pk


def test_entries_chain_on_the_previous_hash(documenter, acme):
    item = upload_file(documenter, acme, b"chain me", filename="c.txt", collector="Ana")
    third = actions.append_custody(documenter, item, "received", {"note": "again"})
    entries = list(item.custody.order_by("seq"))
    assert [e.event for e in entries] == ["collected", "received", "received"]
    assert third.prev_hash == entries[1].hash and third.seq == 3
    assert custody.problems(entries) == []


def test_tampering_anywhere_is_found(documenter, acme):
    item = upload_file(documenter, acme, b"chain me", filename="c.txt", collector="Ana")
    with triggers.suspended(connection):
        CustodyEntry.objects.filter(item=item, seq=1).update(actor_label="someone else")
    assert custody.problems(item.custody.order_by("seq")) == [
        "entry 1: its hash does not match its content"
    ]


def test_a_removed_entry_is_found(documenter, acme):
    item = upload_file(documenter, acme, b"chain me", filename="c.txt", collector="Ana")
    entries = list(item.custody.order_by("seq"))
    assert custody.problems(entries[1:]) == [
        "entry 2: expected sequence number 1",
        "entry 2: does not follow the previous entry's hash",
    ]


def test_two_items_of_the_same_bytes_have_their_own_chains(documenter, outsider, acme, beacon):
    first = upload_file(documenter, acme, b"same", filename="a.txt")
    second = upload_file(outsider, beacon, b"same", filename="b.txt")
    assert first.original_id == second.original_id
    assert first.custody.get().hash != second.custody.get().hash
    assert first.custody.get().actor == documenter and second.custody.get().actor == outsider
