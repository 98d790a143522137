#!/usr/bin/env python3
"""Verify a JusticeWork evidence package: ``python3 verify.py PACKAGE.zip [--key TRUSTED.pem]``.

Needs only Python 3.10 or later and the ``cryptography`` package (``pip install cryptography``).
This very file is shipped inside every package, and ``justicework evidence verify`` runs the same
code, so both give the same verdicts. It checks:

* every file listed in ``manifest.json``: present, its size, its SHA-256 and SHA-512;
* files in the package that the manifest does not list, and names that are unsafe or repeated;
* ``manifest.sig``: the Ed25519 signature of the exact bytes of ``manifest.json``, with the
  package's ``public-key.pem`` and, given ``--key``, with a key you trust (obtained from the
  instance's ``/.well-known/justicework/evidence-key``, not from the package);
* each item's chain of custody: sequence numbers, each entry's link to the one before, and each
  entry's hash over its content;
* each item's verification findings against the custody entries that recorded them (the
  SHA-256 of the text, the level and the confidence), and its verification status against the
  last status change in its custody log;
* ``manifest.tsr`` when present (an RFC 3161 timestamp): that the token's message imprint is the
  SHA-256 of ``manifest.json``, and the time it states. Without the timestamp authority's
  certificate chain this script cannot check the authority's own signature on the token.

Before reading any member it refuses hostile ZIPs (zip bombs): more than ``MAX_ENTRIES``
entries, a compression method other than stored or deflate, a stored member whose declared
size is not its stored size, a member (or the whole) expanding more than ``MAX_RATIO`` times,
a manifest, signature, key or timestamp over ``MAX_SMALL_MEMBER`` bytes; and while reading,
a member whose bytes are not the size its header declares. Unsafe names (absolute, ``..``,
a drive, a backslash, a control character) and symbolic links are named as problems; nothing
is ever extracted to disk.

Every problem is printed on its own line, naming the file, the hash or the field; the exit
status is 0 when nothing is wrong, 1 when something is, 2 when the package cannot be read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "justicework-evidence-package"
VERSION = 2  # 2: items carry "provenance" and "c2pa", the package its "selection"
READS = (1, 2)  # versions this verifier checks (what it checks is the same in both)
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
TIMESTAMP = "manifest.tsr"
PUBLIC_KEY = "public-key.pem"
VERIFIER = "verify.py"
README = "README.txt"
FIXED = frozenset({MANIFEST, SIGNATURE, TIMESTAMP, PUBLIC_KEY, VERIFIER, README})
BUFFER = 1 << 20  # read files in 1 MiB pieces: memory stays flat whatever their size
MAX_ENTRIES = 100_000  # members in one package
MAX_RATIO = 100  # uncompressed / compressed, per member (over 1 MiB) and for the whole ZIP
MAX_SMALL_MEMBER = 512 << 20  # manifest.json, manifest.sig, public-key.pem, manifest.tsr, ...
GENESIS = "0" * 64
SHA256_OID = "2.16.840.1.101.3.4.2.1"


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files_checked: int = 0
    bytes_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def canonical(data: Any) -> bytes:
    """The canonical JSON of a custody entry (keys sorted, no spaces, UTF-8 as it is)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return text.encode("utf-8")


# --- files -------------------------------------------------------------------------------------


def hash_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, str, str]:
    """Size, SHA-256 and SHA-512 of one member, read once in fixed pieces (SHA-512 on a
    second thread: hashlib lets go of the interpreter lock, so both run at once)."""
    sha256, sha512, size = hashlib.sha256(), hashlib.sha512(), 0
    with archive.open(info) as member, ThreadPoolExecutor(max_workers=1) as pool:
        member._expected_crc = None  # type: ignore[attr-defined]  # the SHA-256 decides
        pending = None
        while chunk := member.read(BUFFER):
            if pending is not None:
                pending.result()
            pending = pool.submit(sha512.update, chunk)
            sha256.update(chunk)
            size += len(chunk)
        if pending is not None:
            pending.result()
    return size, sha256.hexdigest(), sha512.hexdigest()


def _unsafe(name: str) -> bool:
    parts = name.split("/")
    return (
        name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]
        or any(ord(c) < 32 or ord(c) == 127 for c in name)
    )  # fmt: skip


def _is_link(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and (info.external_attr >> 16) & 0o170000 == 0o120000


def _member_limits(info: zipfile.ZipInfo) -> str:
    """What makes one member unsafe to read ("" when nothing)."""
    name, size, packed = info.filename, info.file_size, info.compress_size
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return f"{name}: compression method {info.compress_type} is not stored or deflate"
    if info.compress_type == zipfile.ZIP_STORED and size != packed:
        return f"{name}: stored uncompressed, but declares {size} bytes for {packed} stored"
    if size > BUFFER and size > MAX_RATIO * max(packed, 1):
        return (f"{name}: expands {size // max(packed, 1)} times ({packed} to {size} bytes), "
                f"over the limit of {MAX_RATIO} (a zip bomb?)")  # fmt: skip
    if name in FIXED and size > MAX_SMALL_MEMBER:
        return f"{name}: declares {size} bytes, over the limit of {MAX_SMALL_MEMBER}"
    return ""


def check_limits(archive: zipfile.ZipFile, archive_size: int, report: Report) -> bool:
    """Refuse a hostile ZIP before reading any member: False (with the problems) when it is
    not safe to read on."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        report.problems.append(
            f"package: holds {len(infos)} entries, over the limit of {MAX_ENTRIES} (a zip bomb?)"
        )
        return False
    found = [problem for problem in map(_member_limits, infos) if problem]
    declared = sum(info.file_size for info in infos)
    if declared > BUFFER and declared > MAX_RATIO * max(archive_size, 1):
        found.append(f"package: its members declare {declared} bytes in a ZIP of "
                     f"{archive_size} bytes, over {MAX_RATIO} times (a zip bomb?)")  # fmt: skip
    report.problems.extend(found)
    return not found


def check_names(archive: zipfile.ZipFile, listed: set[str], report: Report) -> None:
    seen: set[str] = set()
    for info in archive.infolist():
        name = info.filename
        if name in seen:
            report.problems.append(f"{name}: appears more than once in the package")
        seen.add(name)
        if _unsafe(name):
            report.problems.append(
                f"{name!r}: unsafe name (absolute, '..', a drive, a backslash or a control "
                "character)"
            )
        elif _is_link(info):
            report.problems.append(f"{name}: a symbolic link, not a file")
        elif name not in listed and name not in FIXED and not name.endswith("/"):
            report.problems.append(f"{name}: in the package but not listed in the manifest")


def _check_one_file(archive: zipfile.ZipFile, entry: dict[str, Any], report: Report) -> None:
    path = str(entry.get("path", ""))
    try:
        info = archive.getinfo(path)
    except KeyError:
        report.problems.append(f"{path}: listed in the manifest but missing from the package")
        return
    try:
        size, sha256, sha512 = hash_member(archive, info)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        report.problems.append(f"{path}: cannot be read from the ZIP ({exc})")
        return
    if size != info.file_size:
        report.problems.append(
            f"{path}: holds {size} bytes, its header in the ZIP declares {info.file_size}"
        )
    report.files_checked += 1
    report.bytes_checked += size
    for label, key, found in (("size", "size", size), ("SHA-256", "sha256", sha256),
                              ("SHA-512", "sha512", sha512)):  # fmt: skip
        if entry.get(key) != found:
            report.problems.append(
                f"{path}: {label} is {found}, the manifest says {entry.get(key)}"
            )


def check_files(archive: zipfile.ZipFile, manifest: dict[str, Any], report: Report) -> set[str]:
    """Check each distinct file the items list; the set of listed paths."""
    done: set[str] = set()
    for item in manifest.get("items", []):
        entry = item.get("file") or {}
        path = str(entry.get("path", ""))
        if path in done:
            continue
        done.add(path)
        _check_one_file(archive, entry, report)
    for name, expected in (manifest.get("tools") or {}).items():
        if name in FIXED and name in archive.namelist():
            found = hashlib.sha256(archive.read(name)).hexdigest()
            if found != expected:
                report.problems.append(f"{name}: SHA-256 is {found}, the manifest says {expected}")
    return done


# --- custody -----------------------------------------------------------------------------------


def _entry_hash(item_id: Any, entry: dict[str, Any]) -> str:
    data = {
        "item": item_id, "seq": entry.get("seq"), "event": entry.get("event"),
        "actor_id": entry.get("actor_id"), "actor_label": entry.get("actor_label"),
        "at": entry.get("at"), "detail": entry.get("detail"),
    }  # fmt: skip
    prev = str(entry.get("prev_hash", ""))
    return hashlib.sha256(prev.encode("ascii", "replace") + canonical(data)).hexdigest()


def check_custody(item: dict[str, Any], report: Report) -> None:
    label = f"item {item.get('id')}"
    prev, expected_seq = GENESIS, 1
    for entry in item.get("custody", []):
        seq = entry.get("seq")
        if seq != expected_seq:
            report.problems.append(f"{label}: custody entry {seq}: expected number {expected_seq}")
        if entry.get("prev_hash") != prev:
            report.problems.append(
                f"{label}: custody entry {seq}: prev_hash does not match the previous entry's hash"
            )
        if _entry_hash(item.get("id"), entry) != entry.get("hash"):
            report.problems.append(
                f"{label}: custody entry {seq}: hash does not match the entry's content"
            )
        prev = str(entry.get("hash"))
        expected_seq = (seq if isinstance(seq, int) else expected_seq) + 1


def _sha256_text(text: Any) -> str:
    return hashlib.sha256(str(text).encode("utf-8")).hexdigest()


def check_verification(item: dict[str, Any], report: Report) -> None:
    """Findings and status must be those the (hash-chained) custody log recorded."""
    label = f"item {item.get('id')}"
    acts = [e.get("detail") or {} for e in item.get("custody", []) if e.get("event") == "verified"]
    recorded = {a.get("finding"): a for a in acts if a.get("act") == "finding"}
    for finding in item.get("findings", []):
        act = recorded.get(finding.get("id"))
        if act is None:
            report.problems.append(
                f"{label}: finding {finding.get('id')}: not recorded in the custody log"
            )
            continue
        for key, found, expected in (
            ("text", _sha256_text(finding.get("text")), act.get("text_sha256")),
            ("level", finding.get("level"), act.get("level")),
            ("confidence", finding.get("confidence"), act.get("confidence")),
        ):
            if found != expected:
                report.problems.append(
                    f"{label}: finding {finding.get('id')}: its {key} differs from the custody "
                    "entry that recorded it"
                )
    changes = [a for a in acts if a.get("act") == "status"]
    expected_status = changes[-1].get("to") if changes else "unverified"
    if "status" in item and item.get("status") != expected_status:
        report.problems.append(
            f"{label}: status is {item.get('status')}, the custody log says {expected_status}"
        )


# --- signature ---------------------------------------------------------------------------------


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def check_signature(
    archive: zipfile.ZipFile, manifest_bytes: bytes, trusted: bytes | None, report: Report
) -> None:
    names = set(archive.namelist())
    if SIGNATURE not in names:
        report.problems.append(f"{SIGNATURE}: missing (the manifest is not signed)")
        return
    signature = archive.read(SIGNATURE)
    keys: list[tuple[str, Ed25519PublicKey]] = []
    if PUBLIC_KEY in names:
        try:
            keys.append((f"the package's {PUBLIC_KEY}", load_public_key(archive.read(PUBLIC_KEY))))
        except ValueError as exc:
            report.problems.append(f"{PUBLIC_KEY}: cannot be read ({exc})")
    else:
        report.problems.append(f"{PUBLIC_KEY}: missing")
    if trusted is not None:
        trusted_key = load_public_key(trusted)
        if keys and _raw(keys[0][1]) != _raw(trusted_key):
            report.problems.append(f"{PUBLIC_KEY}: is not the trusted key given with --key")
        keys.append(("the trusted key", trusted_key))
    for label, key in keys:
        try:
            key.verify(signature, manifest_bytes)
        except InvalidSignature:
            report.problems.append(f"{SIGNATURE}: the signature of {MANIFEST} fails with {label}")
        else:
            report.notes.append(f"{SIGNATURE}: valid with {label}")


# --- timestamp (a small DER reader: enough to find the TSTInfo's imprint and time) ------------


def _tlv(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the DER element at ``at``."""
    tag, length = data[at], data[at + 1]
    at += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[at : at + count], "big")
        at += count
    if at + length > len(data):
        raise ValueError("truncated DER")
    return tag, at, at + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    out = []
    while start < end:
        element = _tlv(data, start)
        out.append(element)
        start = element[2]
    return out


def _oid(content: bytes) -> str:
    parts = [content[0] // 40, content[0] % 40]
    value = 0
    for byte in content[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(map(str, parts))


def token_imprint(tsr: bytes) -> tuple[str, bytes, str]:
    """(hash algorithm OID, hashed message, generation time) of a TimeStampResp's token."""
    _t, s, e = _tlv(tsr, 0)
    response = _children(tsr, s, e)
    if len(response) < 2:
        raise ValueError("the response holds no timestamp token")
    status = _children(tsr, response[0][1], response[0][2])
    if int.from_bytes(tsr[status[0][1] : status[0][2]], "big") not in (0, 1):
        raise ValueError("the authority refused the request")
    content_info = _children(tsr, response[1][1], response[1][2])
    signed_data = _children(tsr, *_tlv(tsr, content_info[1][1])[1:])
    encap = _children(tsr, signed_data[2][1], signed_data[2][2])
    octets = _tlv(tsr, encap[1][1])
    tst = tsr[octets[1] : octets[2]]
    fields = _children(tst, *_tlv(tst, 0)[1:])
    imprint = _children(tst, fields[2][1], fields[2][2])
    algorithm = _children(tst, imprint[0][1], imprint[0][2])
    oid = _oid(tst[algorithm[0][1] : algorithm[0][2]])
    hashed = tst[imprint[1][1] : imprint[1][2]]
    gen_time = tst[fields[4][1] : fields[4][2]].decode("ascii")
    return oid, hashed, gen_time


def check_timestamp(archive: zipfile.ZipFile, manifest_bytes: bytes, report: Report) -> None:
    if TIMESTAMP not in archive.namelist():
        return
    try:
        oid, hashed, gen_time = token_imprint(archive.read(TIMESTAMP))
    except (ValueError, IndexError) as exc:
        report.problems.append(f"{TIMESTAMP}: cannot be read as an RFC 3161 response ({exc})")
        return
    if oid != SHA256_OID:
        report.problems.append(f"{TIMESTAMP}: message imprint uses {oid}, not SHA-256")
    elif hashed != hashlib.sha256(manifest_bytes).digest():
        report.problems.append(
            f"{TIMESTAMP}: message imprint {hashed.hex()} is not the SHA-256 of {MANIFEST} "
            f"({hashlib.sha256(manifest_bytes).hexdigest()})"
        )
    else:
        report.notes.append(f"{TIMESTAMP}: the manifest existed at {gen_time} (the token's time)")


# --- the whole package -------------------------------------------------------------------------


def _manifest(archive: zipfile.ZipFile, report: Report) -> tuple[bytes, dict[str, Any]] | None:
    if MANIFEST not in archive.namelist():
        report.problems.append(f"{MANIFEST}: missing")
        return None
    raw = archive.read(MANIFEST)
    try:
        manifest = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        report.problems.append(f"{MANIFEST}: not valid JSON ({exc})")
        return None
    if not isinstance(manifest, dict):
        report.problems.append(f"{MANIFEST}: not a JSON object")
        return None
    if manifest.get("format") != FORMAT or manifest.get("version") not in READS:
        report.problems.append(
            f"{MANIFEST}: format/version is {manifest.get('format')}/{manifest.get('version')}, "
            f"this verifier reads {FORMAT}/{'|'.join(map(str, READS))}"
        )
    return raw, manifest


def verify(path: str, trusted_key: bytes | None = None) -> Report:
    """Everything wrong with the package at ``path`` (raises ``zipfile.BadZipFile`` and
    ``OSError`` when it cannot be opened at all)."""
    report = Report()
    with zipfile.ZipFile(path) as archive:
        if not check_limits(archive, os.path.getsize(path), report):
            return report
        found = _manifest(archive, report)
        if found is None:
            check_names(archive, set(), report)
            return report
        raw, manifest = found
        check_signature(archive, raw, trusted_key, report)
        check_timestamp(archive, raw, report)
        listed = check_files(archive, manifest, report)
        check_names(archive, listed, report)
        for item in manifest.get("items", []):
            check_custody(item, report)
            check_verification(item, report)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a JusticeWork evidence package.")
    parser.add_argument("package", help="the package (.zip)")
    parser.add_argument("--key", help="a trusted Ed25519 public key (PEM) of the instance")
    args = parser.parse_args(argv)
    try:
        trusted = None
        if args.key:
            with open(args.key, "rb") as handle:
                trusted = handle.read()
            load_public_key(trusted)
        report = verify(args.package, trusted)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        print(f"cannot verify {args.package}: {exc}", file=sys.stderr)
        return 2
    for note in report.notes:
        print(f"ok: {note}")
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    verdict = "VALID" if report.ok else f"INVALID ({len(report.problems)} problem(s))"
    print(f"{verdict}: {report.files_checked} file(s), {report.bytes_checked} bytes checked")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
