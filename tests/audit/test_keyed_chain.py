"""Finding 5 of issue 9: the chain is keyed (HMAC under the audit key, never in the database),
so someone holding only the database cannot append, rewrite or rebuild it unseen."""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import io
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.db import connection

from justicework import keyfiles
from justicework.audit import checkpoint, triggers
from justicework.audit.chain import canonical_json, payload_of, record
from justicework.audit.models import AuditEntry
from justicework.audit.verify import KEYED_MARKER, seal_legacy_chain, verify_chain
from justicework.encryption.models import DataKey
from tests.audit.helpers import append, insert_unkeyed, tamper
from tests.audit.test_chain import run_verify

pytestmark = pytest.mark.django_db

TEST_KEY = base64.b64decode("dGVzdC1hdWRpdC1rZXktMzItYnl0ZXMtbG9uZyEhISE=")


@pytest.fixture
def fresh_key_cache():
    keyfiles.audit_key.cache_clear()
    yield
    keyfiles.audit_key.cache_clear()


def test_each_hash_is_an_hmac_under_the_audit_key():
    first, _ = append(2)
    stored = AuditEntry.objects.get(seq=2)
    body = first.hash.encode("ascii") + canonical_json(payload_of(stored))
    assert stored.hash == hmac.new(TEST_KEY, body, hashlib.sha256).hexdigest()
    assert stored.hash != hashlib.sha256(body).hexdigest()
    assert verify_chain().keyed_from == 1


def test_entry_forged_at_the_head_by_insert_alone_fails_verify_and_checkpoint(tmp_path: Path):
    """The probe's attack: one INSERT at the head, hashed as the chain used to be (SHA-256 of
    the previous hash and the canonical JSON); no trigger is touched."""
    append(3)
    saved = tmp_path / "head.json"
    call_command("audit", "checkpoint", "--out", str(saved), stdout=io.StringIO())
    insert_unkeyed(1, action="core.user.role_granted")
    assert triggers.installed(connection)
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 4
    code, output = run_verify()
    assert code == 1 and "#4" in output and "without the audit key" in output
    assert run_verify("--checkpoint", str(saved))[0] == 1


def test_chain_rebuilt_from_genesis_without_the_key_fails():
    append(4)
    tamper("DELETE FROM audit_auditentry")
    insert_unkeyed(4)
    result = verify_chain()
    assert not result.ok
    assert "no entry is keyed" in result.problem


def test_rewritten_entry_rehashed_with_sha256_fails_naming_it():
    append(4)
    entry = AuditEntry.objects.get(seq=4)
    entry.action = "test.rewritten"
    forged = hashlib.sha256(entry.prev_hash.encode() + canonical_json(payload_of(entry)))
    tamper(
        "UPDATE audit_auditentry SET action = 'test.rewritten', hash = %s WHERE seq = 4",
        [forged.hexdigest()],
    )
    assert verify_chain().first_bad_seq == 4


def test_verify_fails_when_the_triggers_are_missing():
    append(2)
    with triggers.suspended(connection):
        code, output = run_verify()
    assert code == 1
    assert "missing or disabled" in output
    assert run_verify()[0] == 0


def test_verify_checkpoint_never_creates_a_signing_key(tmp_path: Path):
    """An instance that never signed a checkpoint is shown one (signed elsewhere): a clear
    failure, and still no signing key afterwards."""
    append(2)
    other = Ed25519PrivateKey.generate()
    head = AuditEntry.objects.get(seq=2)
    payload = {
        "format": checkpoint.FORMAT,
        "seq": 2,
        "hash": head.hash,
        "entry_time": None,
        "exported_at": "2026-01-01T00:00:00+00:00",
        "public_key": checkpoint.public_key_hex(other.public_key()),
    }
    signature = base64.b64encode(other.sign(canonical_json(payload))).decode()
    path = tmp_path / "elsewhere.json"
    path.write_text(json.dumps({**payload, "signature": signature}))
    assert not DataKey.objects.filter(scope=checkpoint.SCOPE).exists()
    code, output = run_verify("--checkpoint", str(path))
    assert code == 1
    assert "no checkpoint signing key" in output and "No key was created" in output
    assert not DataKey.objects.filter(scope=checkpoint.SCOPE).exists()


def test_wrong_audit_key_fails_at_the_first_entry_naming_the_variable(monkeypatch, fresh_key_cache):
    append(3)
    monkeypatch.setenv("JUSTICEWORK_AUDIT_KEY", base64.b64encode(b"k" * 32).decode())
    keyfiles.audit_key.cache_clear()
    result = verify_chain()
    assert result.first_bad_seq == 1 and "JUSTICEWORK_AUDIT_KEY" in result.problem


def test_missing_audit_key_is_a_clear_error_and_nothing_is_written(
    monkeypatch, settings, tmp_path: Path, fresh_key_cache
):
    append(1)
    monkeypatch.delenv("JUSTICEWORK_AUDIT_KEY")
    settings.DATA_DIR = tmp_path
    keyfiles.audit_key.cache_clear()
    with pytest.raises(keyfiles.AuditKeyMissing, match=r"python -m justicework\.keyfiles"):
        record(None, "test.thing.changed")
    assert AuditEntry.objects.count() == 1
    code, output = run_verify()
    assert code == 1 and "JUSTICEWORK_AUDIT_KEY is not set" in output


def test_audit_key_is_read_from_its_key_file(
    monkeypatch, settings, tmp_path: Path, fresh_key_cache
):
    monkeypatch.delenv("JUSTICEWORK_AUDIT_KEY")
    settings.DATA_DIR = tmp_path
    created = keyfiles.ensure_local_keys(tmp_path)
    assert tmp_path / "audit.key" in created
    assert (tmp_path / "audit.key").stat().st_mode & 0o777 == 0o600
    assert keyfiles.ensure_local_keys(tmp_path) == []  # never overwritten
    keyfiles.audit_key.cache_clear()
    assert keyfiles.audit_key() == base64.b64decode((tmp_path / "audit.key").read_text())
    (tmp_path / "audit.key").write_text("c2hvcnQ=")
    keyfiles.audit_key.cache_clear()
    with pytest.raises(keyfiles.AuditKeyMissing, match="32 bytes"):
        keyfiles.audit_key()


def test_a_chain_begun_before_the_key_is_sealed_and_then_verifies():
    unkeyed = insert_unkeyed(3)
    assert not verify_chain().ok  # its head is unkeyed
    marker = seal_legacy_chain()
    assert marker is not None and marker.seq == 4 and marker.action == KEYED_MARKER
    assert marker.diff == {"unkeyed_through": 3, "unkeyed_head": unkeyed[-1].hash}
    assert seal_legacy_chain() is None  # once
    append(2)
    result = verify_chain()
    assert result.ok and result.checked == 6 and result.keyed_from == 4
    code, output = run_verify()
    assert code == 0 and "Entries #1-#3 predate the audit key" in output


def test_the_unkeyed_prefix_cannot_be_rewritten_after_the_seal():
    insert_unkeyed(3)
    seal_legacy_chain()
    entry = AuditEntry.objects.get(seq=2)
    entry.action = "test.rewritten"
    from justicework.audit.chain import legacy_hash

    new = legacy_hash(entry.prev_hash, payload_of(entry))
    tamper("UPDATE audit_auditentry SET action = 'test.rewritten', hash = %s WHERE seq = 2", [new])
    tamper("UPDATE audit_auditentry SET prev_hash = %s WHERE seq = 3", [new])
    # entry 3 would need re-hashing too; even if the forger does, the keyed marker breaks.
    entry3 = AuditEntry.objects.get(seq=3)
    tamper(
        "UPDATE audit_auditentry SET hash = %s WHERE seq = 3",
        [legacy_hash(new, payload_of(entry3))],
    )
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 4


def test_no_unkeyed_entry_is_accepted_after_a_keyed_one():
    insert_unkeyed(2)
    seal_legacy_chain()
    insert_unkeyed(1)
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 4


def test_migration_0005_seals_an_unkeyed_chain_and_leaves_a_keyed_one_alone():
    migration = importlib.import_module("justicework.audit.migrations.0005_seal_unkeyed_chain")
    append(2)
    migration.seal(None, None)
    assert AuditEntry.objects.count() == 2
    tamper("DELETE FROM audit_auditentry")
    insert_unkeyed(2)
    migration.seal(None, None)
    assert AuditEntry.objects.get(seq=3).action == KEYED_MARKER
    assert verify_chain().ok


def test_system_check_reports_a_missing_audit_key(monkeypatch, settings, tmp_path, fresh_key_cache):
    from justicework.audit.checks import audit_key_configured

    assert audit_key_configured() == []
    monkeypatch.delenv("JUSTICEWORK_AUDIT_KEY")
    settings.DATA_DIR = tmp_path
    keyfiles.audit_key.cache_clear()
    (error,) = audit_key_configured()
    assert error.id == "audit.E001" and "JUSTICEWORK_AUDIT_KEY" in error.msg


def test_entries_cut_off_the_end_fail_on_the_sealed_head():
    """The probe's other attack: cut the newest entries (triggers dropped); no checkpoint."""
    append(6)
    tamper("DELETE FROM audit_auditentry WHERE seq > 4")
    code, output = run_verify()
    assert code == 1 and "entries #5-#6 were cut off the end of the chain" in output


def test_the_whole_chain_cut_off_fails():
    append(3)
    tamper("DELETE FROM audit_auditentry")
    result = verify_chain()
    assert not result.ok and "#1-#3 were cut off" in result.problem


def test_a_sealed_head_moved_back_without_the_key_fails():
    entries = append(4)
    tamper("DELETE FROM audit_auditentry WHERE seq = 4")
    forged = hashlib.sha256(f"justicework-audit-head:3:{entries[2].hash}".encode()).hexdigest()
    tamper("UPDATE audit_audithead SET seq = 3, hash = %s, mac = %s", [entries[2].hash, forged])
    result = verify_chain()
    assert not result.ok and "without the audit key" in result.problem


def test_a_removed_sealed_head_fails():
    append(2)
    tamper("DELETE FROM audit_audithead")
    result = verify_chain()
    assert not result.ok and "sealed head of the chain is missing" in result.problem


def test_every_append_rewrites_the_sealed_head():
    from justicework.audit.chain import Event, append_many, head_mac, record_many
    from justicework.audit.models import AuditHead

    append(2)
    record_many([Event(action="test.batch", object_id=str(i)) for i in range(3)])
    append_many([Event(action="test.bulk", object_id=str(i)) for i in range(4)])
    newest = AuditEntry.objects.order_by("-seq").first()
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (9, newest.hash)
    assert head.mac == head_mac(9, newest.hash)
    assert verify_chain().ok
