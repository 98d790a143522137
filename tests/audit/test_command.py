"""``justicework audit``: the subcommand is required, ``checkpoint`` prints or writes the signed
head, and ``verify --checkpoint`` refuses a file it cannot read or parse with a message naming
the file (exit 1, or a command error for a missing file)."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from justicework.audit import checkpoint as checkpoints
from tests.audit.helpers import append

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_subcommand_is_required():
    with pytest.raises(CommandError, match="subcommand"):
        call_command("audit")


def test_checkpoint_prints_the_signed_head_as_json():
    append(3)
    code, out, _err = run("checkpoint")
    assert code == 0
    data = json.loads(out)
    assert data["seq"] == 3 and data["format"] == checkpoints.FORMAT
    assert checkpoints.check(checkpoints.parse(out)).ok


def test_checkpoint_out_writes_a_file_readable_by_others_and_says_where(tmp_path: Path):
    append(1)
    target = tmp_path / "head.json"
    code, out, _err = run("checkpoint", "--out", str(target))
    assert code == 0
    assert f"Checkpoint written to {target}; keep a copy outside this server." in out
    assert stat.S_IMODE(target.stat().st_mode) & 0o044  # a public record, not a secret
    assert json.loads(target.read_text())["seq"] == 1


def test_checkpoint_out_replaces_an_older_file(tmp_path: Path):
    target = tmp_path / "head.json"
    append(1)
    run("checkpoint", "--out", str(target))
    append(1)
    run("checkpoint", "--out", str(target))
    assert json.loads(target.read_text())["seq"] == 2


def test_verify_with_a_checkpoint_that_does_not_exist_is_a_command_error(tmp_path: Path):
    append(1)
    missing = tmp_path / "nowhere.json"
    with pytest.raises(CommandError, match=f"Cannot read {missing}: No such file or directory"):
        call_command("audit", "verify", "--checkpoint", str(missing), stdout=io.StringIO())


@pytest.mark.parametrize(
    "content, says", [("{not json", "is not JSON"), ('{"format": "x"}', "is not in the")]
)
def test_verify_with_a_malformed_checkpoint_exits_1_naming_the_file(
    tmp_path: Path, content: str, says: str
):
    append(1)
    path = tmp_path / "bad.json"
    path.write_text(content)
    code, out, err = run("verify", "--checkpoint", str(path))
    assert code == 1
    assert "Audit chain intact: 1 entries checked." in out
    assert f"Checkpoint {path}:" in err and says in err


def test_verify_with_a_good_checkpoint_says_so(tmp_path: Path):
    append(2)
    path = tmp_path / "head.json"
    run("checkpoint", "--out", str(path))
    append(1)
    code, out, _err = run("verify", "--checkpoint", str(path))
    assert code == 0
    assert "Checkpoint at entry #2 is signed and still in the chain." in out
