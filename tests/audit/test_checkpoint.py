from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from justicework.audit import checkpoint
from justicework.audit.chain import compute_hash, payload_of, verify_chain
from justicework.audit.models import AuditEntry
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
    assert verify_chain().ok
    code, output = run_verify("--checkpoint", str(saved))
    assert code == 1
    assert "#5" in output and "rebuilt" in output


def test_checkpoint_detects_a_truncated_chain(saved: Path):
    tamper("DELETE FROM audit_auditentry WHERE seq >= 4")
    assert verify_chain().ok  # cutting the tail leaves a consistent chain...
    code, output = run_verify("--checkpoint", str(saved))
    assert code == 1  # ...which the anchored head exposes
    assert "#5" in output and "no longer in the chain" in output


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
