from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from justicework.audit import checkpoint
from justicework.audit.chain import compute_hash, head_mac, payload_of
from justicework.audit.models import AuditEntry, AuditHead
from justicework.audit.verify import verify_chain
from tests.audit.helpers import append, tamper
from tests.audit.test_chain import run_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    append(5)
    path = tmp_path / "head.json"
    out = io.StringIO()
    call_command("audit", "checkpoint", "--out", str(path), stdout=out)
    assert "keep a copy outside this server" in out.getvalue()
    return path


def test_checkpoint_signs_the_head_of_the_chain(saved: Path):
    data = json.loads(saved.read_text())
    assert data["seq"] == 5
    assert data["hash"] == AuditEntry.objects.get(seq=5).hash
    assert data["public_key"] == checkpoint.public_key_hex()
    code, output = run_verify("--checkpoint", str(saved))
    assert code == 0
    assert "Checkpoint at entry #5 is signed and still in the chain" in output


def test_checkpoint_still_verifies_after_more_appends(saved: Path):
    append(3)
    assert run_verify("--checkpoint", str(saved))[0] == 0


def test_checkpoint_detects_a_chain_rebuilt_with_valid_hashes(saved: Path):
    """verify_chain alone cannot see a chain re-hashed by someone holding the audit key (the
    server's operator); the anchor kept elsewhere can."""
    tamper("UPDATE audit_auditentry SET action = 'test.rewritten' WHERE seq = 2")
    prev = AuditEntry.objects.get(seq=1).hash
    for entry in AuditEntry.objects.filter(seq__gte=2).order_by("seq"):
        entry.prev_hash = prev
        new = compute_hash(prev, payload_of(entry))
        tamper(
            "UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE seq = %s",
            [prev, new, entry.seq],
        )
        prev = new
    # ... and the sealed head (the key holder can make its seal too)
    tamper(
        "UPDATE audit_audithead SET hash = %s, mac = %s WHERE seq = 5",
        [prev, head_mac(5, prev)],
    )
    assert verify_chain().ok
    code, output = run_verify("--checkpoint", str(saved))
    assert code == 1
    assert "#5" in output and "rebuilt" in output


def test_a_truncated_chain_fails_on_its_sealed_head_and_its_checkpoint(saved: Path):
    tamper("DELETE FROM audit_auditentry WHERE seq >= 4")
    result = verify_chain()  # the entries left are consistent; the sealed head is not
    assert not result.ok and result.first_bad_seq == 4 and "cut off" in result.problem
    code, output = run_verify("--checkpoint", str(saved))
    assert code == 1 and "#4-#5 were cut off" in output


def test_checkpoint_detects_a_truncation_replaying_an_old_sealed_head(tmp_path: Path):
    """Someone who copied the head row when #5 was the newest cuts the chain back to #5 and
    puts the row back: the entries and the head agree. Only a later checkpoint shows it."""
    append(5)
    old_head = AuditHead.objects.values_list("seq", "hash", "mac").get()
    append(3)
    later = tmp_path / "later.json"
    call_command("audit", "checkpoint", "--out", str(later), stdout=io.StringIO())
    tamper("DELETE FROM audit_auditentry WHERE seq > 5")
    tamper("UPDATE audit_audithead SET seq = %s, hash = %s, mac = %s", list(old_head))
    assert verify_chain().ok  # the replay is consistent...
    code, output = run_verify("--checkpoint", str(later))
    assert code == 1  # ...which the checkpoint exposes
    assert "#8" in output and "no longer in the chain" in output


def test_edited_checkpoint_fails_its_signature(saved: Path):
    data = json.loads(saved.read_text())
    data["seq"] = 4
    data["hash"] = AuditEntry.objects.get(seq=4).hash
    saved.write_text(json.dumps(data))
    code, output = run_verify("--checkpoint", str(saved))
    assert code == 1 and "signature is not valid" in output


def test_checkpoint_from_another_installation_is_refused(saved: Path):
    data = json.loads(saved.read_text())
    data["public_key"] = "00" * 32
    saved.write_text(json.dumps(data))
    code, output = run_verify("--checkpoint", str(saved))
    assert code == 1 and "another key" in output


def test_malformed_checkpoint_gives_a_clear_error(tmp_path: Path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    code, output = run_verify("--checkpoint", str(path))
    assert code == 1 and "not JSON" in output
    path.write_text(json.dumps({"format": checkpoint.FORMAT, "seq": 1}))
    code, output = run_verify("--checkpoint", str(path))
    assert code == 1 and "lacks" in output


def test_checkpoint_of_an_empty_chain_is_the_genesis(tmp_path: Path):
    tamper("DELETE FROM audit_auditentry")
    data = checkpoint.make_checkpoint()
    assert data["seq"] == 0
    assert checkpoint.check(data).ok
