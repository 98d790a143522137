"""The backup file: a header, then a zip archive sealed in chunks.

Layout: ``MAGIC``, the header's length (4 bytes, big-endian), the header (JSON: format, the
master key's id, the backup's data key wrapped by the master key), then the zip archive in the
sealed-chunk format of uploads (``dataio.sealed.ChunkWriter``: AES-256-GCM, 64 KiB chunks, each
authenticating its index and whether it is the last, so a changed, moved, dropped or cut chunk
fails). The data key is fresh for every backup and wrapped with AES-256-GCM under the master
key, authenticating ``MAGIC`` and the master key's id. No key is ever written in clear: without
the master key the file is noise, and the master and audit keys are never inside it.

The archive holds ``manifest.json`` (counts and SHA-256 of every table and file, the applied
migrations, the signed audit checkpoint), ``tables/<app>.<model>.jsonl`` (first line the
columns, then one JSON array per row: ``backup.tables``) and ``data/files/<path>`` and
``data/imports/<path>`` (the uploaded files as stored, sealed import uploads still sealed).
"""

from __future__ import annotations

import base64
import io
import json
import os
import zipfile
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from justicework.dataio.sealed import ChunkReader, ChunkWriter
from justicework.encryption.keyring import master_key_id

MAGIC = b"JWBACKUP\x00\x01"
FORMAT = "justicework-backup/1"
_LENGTH = 4
_NONCE = 12
MAX_HEADER = 64 * 1024


class BackupError(Exception):
    """The backup cannot be written, read or restored; the message says why and what to do."""


def _key_aad(key_id: str) -> bytes:
    return MAGIC + b"backup-data-key:" + key_id.encode("ascii")


class _Sink(io.RawIOBase):
    """What ``zipfile`` writes to: the chunk writer (not seekable, so zipfile streams)."""

    def __init__(self, chunks: ChunkWriter) -> None:
        super().__init__()
        self._chunks = chunks

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._chunks.write(bytes(data))
        return len(data)


def open_writer(handle: IO[bytes]) -> tuple[zipfile.ZipFile, ChunkWriter]:
    """Write the header to ``handle`` and return the zip archive to fill, sealed as it goes
    (close the zip, then ``finish()`` the chunk writer)."""
    key = AESGCM.generate_key(bit_length=256)
    key_id = master_key_id(settings.MASTER_KEY)
    nonce = os.urandom(_NONCE)
    wrapped = nonce + AESGCM(settings.MASTER_KEY).encrypt(nonce, key, _key_aad(key_id))
    header = json.dumps(
        {
            "format": FORMAT,
            "master_key_id": key_id,
            "wrapped_key": base64.b64encode(wrapped).decode("ascii"),
        }
    ).encode("utf-8")
    handle.write(MAGIC + len(header).to_bytes(_LENGTH, "big") + header)
    chunks = ChunkWriter(handle, key)
    return zipfile.ZipFile(_Sink(chunks), "w", allowZip64=True), chunks


def _damaged() -> BackupError:
    return BackupError(
        "the backup is damaged or was altered after it was written (a sealed chunk does not "
        "authenticate); nothing was restored."
    )


def _read_header(handle: IO[bytes]) -> tuple[dict[str, Any], int]:
    head = handle.read(len(MAGIC) + _LENGTH)
    if len(head) < len(MAGIC) + _LENGTH or not head.startswith(MAGIC):
        raise BackupError("this is not a JusticeWork backup (its first bytes are wrong).")
    length = int.from_bytes(head[len(MAGIC) :], "big")
    if length > MAX_HEADER:
        raise _damaged()
    try:
        header = json.loads(handle.read(length))
    except ValueError as exc:
        raise _damaged() from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"the backup is not in the {FORMAT} format.")
    return header, len(MAGIC) + _LENGTH + length


def _unwrap(header: dict[str, Any]) -> bytes:
    ours = master_key_id(settings.MASTER_KEY)
    theirs = str(header.get("master_key_id", ""))
    if theirs != ours:
        raise BackupError(
            f"the backup was encrypted under master key {theirs}, but JUSTICEWORK_MASTER_KEY "
            f"here is {ours}. Copy the source instance's key files (master.key, audit.key, "
            "secret.key) to this instance first; nothing was restored."
        )
    try:
        wrapped = base64.b64decode(str(header["wrapped_key"]), validate=True)
        return AESGCM(settings.MASTER_KEY).decrypt(
            wrapped[:_NONCE], wrapped[_NONCE:], _key_aad(ours)
        )
    except (KeyError, ValueError, InvalidTag) as exc:
        raise BackupError(
            "the backup's data key does not unwrap with JUSTICEWORK_MASTER_KEY: a wrong master "
            "key, or a damaged header; nothing was restored."
        ) from exc


def open_reader(path: Path) -> zipfile.ZipFile:
    """The backup's zip archive, decrypted and authenticated chunk by chunk as it is read.
    Raises :class:`BackupError` for a wrong master key or a damaged file."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}.") from exc
    try:
        header, start = _read_header(handle)
        key = _unwrap(header)
        reader = ChunkReader(handle, key, start, _damaged)
        return zipfile.ZipFile(io.BufferedReader(reader, buffer_size=64 * 1024))
    except zipfile.BadZipFile as exc:
        handle.close()
        raise _damaged() from exc
    except BaseException:
        handle.close()
        raise
