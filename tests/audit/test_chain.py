from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from justicework.audit import triggers
from justicework.audit.chain import (
    GENESIS_HASH,
    Event,
    compute_hash,
    diff_fields,
    payload_of,
    record,
    record_many,
)
from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from tests.audit.helpers import append, swap_content, tamper

pytestmark = pytest.mark.django_db


def run_verify(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def test_entries_link_by_the_keyed_hash_of_previous_hash_and_canonical_json():
    first, second = append(2)
    assert first.seq == 1 and first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    stored = AuditEntry.objects.get(seq=2)
    assert stored.hash == compute_hash(first.hash, payload_of(stored))


def test_record_many_appends_a_batch_in_order_under_one_lock():
    entries = record_many([Event(action=f"test.batch.{i}", object_id=str(i)) for i in range(5)])
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert verify_chain().ok
    assert record_many([]) == []


def test_actor_and_object_are_taken_from_the_user_and_the_model(cast):
    entry = record(cast.admin, "core.thing.viewed", cast.acme, organisation_id=cast.acme.pk)
    assert entry.actor_id == cast.admin.pk
    assert entry.actor_label == "admin@acme.test"
    assert entry.object_type == "core.organisation"
    assert entry.object_id == str(cast.acme.pk)
    assert entry.organisation_id == cast.acme.pk


def test_numbers_and_text_in_diffs_survive_the_database_round_trip():
    """jsonb re-spells floats (1e+20 -> 100000000000000000000); the chain must still verify."""
    record(
        None,
        "test.thing.measured",
        diff={
            "big": 1e20,
            "tiny": 1.5e-7,
            "tenth": 0.1,
            "two": 2.0,
            "huge": 10**30,
            "s": "é\u2028",
        },
    )
    result = verify_chain()
    assert result.ok, result.problem
    assert AuditEntry.objects.get(action="test.thing.measured").diff["huge"] == 10**30


def test_diff_fields_hides_sensitive_values_and_skips_unchanged():
    diff = diff_fields(
        {"name": "Amina K.", "status": "draft", "country": "UA"},
        {"name": "Amina Q.", "status": "final", "country": "UA"},
        sensitive=["name"],
    )
    assert diff == {"name": "changed", "status": ["draft", "final"]}
    assert "Amina" not in str(diff)


def test_verify_passes_on_an_intact_chain_and_prints_the_count():
    append(4)
    code, output = run_verify()
    assert code == 0
    assert f"{AuditEntry.objects.count()} entries checked" in output


def test_verify_passes_on_an_empty_chain():
    tamper("DELETE FROM audit_auditentry")
    tamper("DELETE FROM audit_audithead")
    assert run_verify() == (0, "Audit chain intact: 0 entries checked.\n")


def test_verify_fails_when_the_triggers_were_removed():
    append(2)
    with triggers.suspended(connection):
        code, output = run_verify()
    assert code == 1
    assert "triggers that refuse UPDATE and DELETE" in output and "missing or disabled" in output
    assert "missing or disabled" not in run_verify()[1]


def test_altered_row_fails_naming_it():
    append(5)
    tamper("UPDATE audit_auditentry SET action = 'test.thing.deleted' WHERE seq = 3")
    code, output = run_verify()
    assert code == 1
    assert "#3" in output and "altered" in output
    assert verify_chain().first_bad_seq == 3


def test_altered_diff_fails_naming_it():
    append(5)
    tamper("UPDATE audit_auditentry SET diff = %s WHERE seq = 2", ['{"status": ["x", "y"]}'])
    code, output = run_verify()
    assert code == 1 and "#2" in output


def test_deleted_row_fails_naming_the_missing_entry():
    append(5)
    tamper("DELETE FROM audit_auditentry WHERE seq = 3")
    code, output = run_verify()
    assert code == 1
    assert "#3 is missing" in output


def test_deleted_first_row_fails_naming_entry_one():
    append(3)
    tamper("DELETE FROM audit_auditentry WHERE seq = 1")
    code, output = run_verify()
    assert code == 1 and "#1 is missing" in output


def test_inserted_row_at_the_end_with_a_forged_hash_fails_naming_it():
    entries = append(4)
    tamper(
        "INSERT INTO audit_auditentry (seq, created_at, actor_label, action, object_type, "
        "object_id, diff, prev_hash, hash) VALUES (5, %s, 'system', 'test.forged', '', '', "
        "'{}', %s, %s)",
        [entries[-1].created_at, entries[-1].hash, "f" * 64],
    )
    code, output = run_verify()
    assert code == 1 and "#5" in output and "altered" in output


def test_self_consistent_row_inserted_in_the_middle_fails_at_the_next_link():
    """The forger (even one holding the audit key) renumbers the later rows and computes a
    valid hash for the inserted one: the next entry's prev_hash no longer matches."""
    entries = append(5)
    tamper("UPDATE audit_auditentry SET seq = -seq WHERE seq >= 3")
    tamper("UPDATE audit_auditentry SET seq = 1 - seq WHERE seq < 0")  # -3 -> 4, ...
    forged = AuditEntry(
        seq=3,
        created_at=entries[1].created_at,
        actor_label="system",
        action="test.forged",
        diff={},
        prev_hash=entries[1].hash,
    )
    forged.hash = compute_hash(forged.prev_hash, payload_of(forged))
    tamper(
        "INSERT INTO audit_auditentry (seq, created_at, actor_label, action, object_type, "
        "object_id, diff, prev_hash, hash) VALUES (3, %s, 'system', 'test.forged', '', '', "
        "'{}', %s, %s)",
        [forged.created_at, forged.prev_hash, forged.hash],
    )
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 4
    code, output = run_verify()
    assert code == 1 and "#4" in output


def test_row_inserted_before_the_first_fails_naming_it():
    append(2)
    tamper(
        "INSERT INTO audit_auditentry (seq, created_at, actor_label, action, object_type, "
        "object_id, diff, prev_hash, hash) VALUES (0, %s, 'system', 'test.forged', '', '', "
        "'{}', %s, %s)",
        ["2026-01-01T00:00:00+00:00", GENESIS_HASH, "e" * 64],
    )
    code, output = run_verify()
    assert code == 1 and "#0" in output and "inserted" in output


def test_reordered_rows_fail_naming_the_first_swapped():
    append(6)
    swap_content(2, 4)
    code, output = run_verify()
    assert code == 1
    assert "#2" in output


def test_triggers_refuse_update_and_delete_even_for_the_owner():
    append(2)
    assert triggers.installed(connection)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(action="test.rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=2).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 2
    assert verify_chain().ok


@pytest.mark.postgres
def test_trigger_refuses_truncate_on_postgres():
    append(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.count() == 1
