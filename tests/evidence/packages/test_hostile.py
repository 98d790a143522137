"""Hostile ZIPs: zip bombs (too many entries, a member or the whole expanding too much, a
declared size that is not the stored one) and unsafe names are refused by both verifiers,
naming what is wrong, before any member is read."""

from __future__ import annotations

import shutil
import stat
import struct
import zipfile
from pathlib import Path

from justicework.evidence.packages import verify

from .conftest import cli_verify, problems_of, standalone_verify


def _both(path: Path, verifier: Path) -> list[str]:
    status, problems = cli_verify(path)
    standalone_status, output = standalone_verify(path, verifier=verifier)
    assert status == 1 and standalone_status == 1, output
    assert problems_of(output) == problems
    return problems


def _verifier(package: Path, tmp_path: Path) -> Path:
    """The verify.py shipped in ``package`` (the hostile files below carry none)."""
    target = tmp_path / "shipped_verify.py"
    with zipfile.ZipFile(package) as archive:
        target.write_bytes(archive.read("verify.py"))
    return target


def _with(package: Path, target: Path, add: dict[str, bytes], deflate: bool = False) -> Path:
    shutil.copy(package, target)
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(target, "a", compression=method) as archive:
        for name, data in add.items():
            archive.writestr(name, data)
    return target


def test_a_member_expanding_too_much_is_a_zip_bomb(package, tmp_path):
    bomb = _with(package, tmp_path / "bomb.zip", {"files/bomb.bin": bytes(20 << 20)}, True)
    problems = _both(bomb, _verifier(package, tmp_path))
    assert len(problems) == 2
    assert problems[0].startswith("PROBLEM: files/bomb.bin: expands ")
    assert (
        f"to {20 << 20} bytes), over the limit of {verify.MAX_RATIO} (a zip bomb?)" in problems[0]
    )
    assert problems[1].startswith("PROBLEM: package: its members declare ")


def test_many_small_members_expanding_together_are_a_zip_bomb(package, tmp_path):
    """Each member stays under the per-member check (1 MiB); the whole still expands."""
    members = {f"files/part{n}": bytes(1 << 20) for n in range(30)}
    bomb = _with(package, tmp_path / "parts.zip", members, deflate=True)
    problems = _both(bomb, _verifier(package, tmp_path))
    assert len(problems) == 1
    assert problems[0].startswith("PROBLEM: package: its members declare ")
    assert problems[0].endswith(f"over {verify.MAX_RATIO} times (a zip bomb?)")


def test_too_many_entries_are_refused(package, tmp_path):
    target = tmp_path / "many.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for n in range(verify.MAX_ENTRIES + 1):
            archive.writestr(f"files/{n}", b"")
    assert _both(target, _verifier(package, tmp_path)) == [
        f"PROBLEM: package: holds {verify.MAX_ENTRIES + 1} entries, over the limit of "
        f"{verify.MAX_ENTRIES} (a zip bomb?)"
    ]


def _declare_size(path: Path, name: str, size: int) -> None:
    """Change the uncompressed size the central directory declares for ``name``."""
    raw = bytearray(path.read_bytes())
    encoded = name.encode()
    at = raw.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46 : at + 46 + length] == encoded:
            struct.pack_into("<I", raw, at + 24, size)
            path.write_bytes(bytes(raw))
            return
        at = raw.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not in the central directory")


def test_a_declared_size_that_is_not_the_stored_size_is_refused(package, tmp_path):
    target = _with(package, tmp_path / "declared.zip", {"files/liar.txt": b"twelve bytes"})
    _declare_size(target, "files/liar.txt", 3 << 30)
    problems = _both(target, _verifier(package, tmp_path))
    assert (
        f"PROBLEM: files/liar.txt: stored uncompressed, but declares {3 << 30} bytes for 12 stored"
    ) in problems


def test_path_traversal_and_control_characters_are_named(package, tmp_path):
    target = _with(package, tmp_path / "names.zip",
                   {"../../etc/cron.d/evil": b"x", "files/a\x1bb": b"y"})  # fmt: skip
    problems = _both(target, _verifier(package, tmp_path))
    assert (
        "PROBLEM: '../../etc/cron.d/evil': unsafe name (absolute, '..', a drive, a backslash "
        "or a control character)"
    ) in problems
    assert any(p.startswith("PROBLEM: 'files/a\\x1bb': unsafe name") for p in problems)


def test_a_symbolic_link_is_named(package, tmp_path):
    target = tmp_path / "link.zip"
    shutil.copy(package, target)
    info = zipfile.ZipInfo("files/link")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(target, "a") as archive:
        archive.writestr(info, b"/etc/passwd")
    problems = _both(target, _verifier(package, tmp_path))
    assert "PROBLEM: files/link: a symbolic link, not a file" in problems


def test_an_honest_package_is_within_every_limit(package):
    report = verify.verify(str(package))
    assert report.ok, report.problems


def test_a_member_shorter_than_its_header_declares_is_named(package, tmp_path):
    """A listed file, deflated, whose header declares more bytes than its data gives."""
    with zipfile.ZipFile(package) as archive:
        path = next(n for n in archive.namelist() if n.startswith("files/"))
        size = archive.getinfo(path).file_size
    target = tmp_path / "short.zip"
    with zipfile.ZipFile(package) as reading, zipfile.ZipFile(target, "w") as writing:
        for info in reading.infolist():
            method = zipfile.ZIP_DEFLATED if info.filename == path else info.compress_type
            writing.writestr(info.filename, reading.read(info), compress_type=method)
    _declare_size(target, path, size + 1000)
    problems = _both(target, _verifier(package, tmp_path))
    assert problems == [
        f"PROBLEM: {path}: holds {size} bytes, its header in the ZIP declares {size + 1000}"
    ]
