"""Originals encrypted at rest under the data key of the organisation that holds them.

The chunked AES-256-GCM of sealed import uploads (``encryption.chunks``, shared with
``dataio.sealed`` and backups) behind a header of our own: ``MAGIC``, the length of the file
key's ciphertext (4 bytes, big-endian) and that ciphertext (a fresh 256-bit key per original,
encrypted with ``keyring.encrypt`` under the organisation's scope, context
``evidence.original``), then the chunks. Hashes are always of the plaintext (computed while the
upload streamed in); sealing reads the finished part file once, a chunk at a time, into a
sibling file that is fsynced before it is stored.

Reading authenticates each chunk as it is read: a changed, moved, dropped or cut chunk, a
changed header or a key of another organisation raises :class:`OriginalDamaged` naming the
original.

Derivatives of a sealed original (thumbnails, previews, stripped copies: made from its
plaintext) are sealed the same way under the same organisation's key, with the context
``evidence.derivative``, so a derivative's object cannot pass for an original's
(``seal_bytes``, ``open_sealed(..., context=DERIVATIVE)``).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from justicework.encryption import keyring
from justicework.encryption.chunks import CHUNK, ChunkReader, ChunkWriter
from justicework.encryption.models import DataKey

MAGIC = b"JWVAULT\x00\x01"
CONTEXT = "evidence.original"
DERIVATIVE = "evidence.derivative"
_LENGTH = 4
_MAX_TOKEN = 4096


class OriginalDamaged(Exception):
    """An encrypted original fails authentication: its stored bytes were changed."""


def _start(writing: IO[bytes], organisation_id: int, context: str) -> ChunkWriter:
    """Write the header (a fresh key, itself sealed under ``organisation_id``'s data key) and
    answer the writer of the chunks under that fresh key."""
    key = AESGCM.generate_key(bit_length=256)
    token = keyring.encrypt(key, keyring.org_scope(organisation_id), context).encode("ascii")
    writing.write(MAGIC + len(token).to_bytes(_LENGTH, "big") + token)
    return ChunkWriter(writing, key)


def sealer(writing: IO[bytes], organisation_id: int, context: str) -> ChunkWriter:
    """Write the header of a sealed file to ``writing`` and answer the writer of its chunks
    (call ``finish`` once at the end), for content sealed as it streams in and so never written
    in clear (grants' attachments, context ``grants.attachment``)."""
    return _start(writing, organisation_id, context)


def seal_file(source: Path, target: Path, organisation_id: int) -> None:
    """Write ``source`` sealed under a fresh key (itself sealed under ``organisation_id``'s data
    key) to ``target``, fsynced. Memory stays one chunk whatever the size."""
    with source.open("rb") as reading, target.open("wb") as writing:
        sealer = _start(writing, organisation_id, CONTEXT)
        while block := reading.read(CHUNK * 16):
            sealer.write(block)
        sealer.finish()
        writing.flush()
        os.fsync(writing.fileno())


def seal_bytes(data: bytes, organisation_id: int, context: str = DERIVATIVE) -> bytes:
    """``data`` (a derivative, small enough to be made in memory) sealed the same way."""
    out = io.BytesIO()
    sealer = _start(out, organisation_id, context)
    sealer.write(data)
    sealer.finish()
    return out.getvalue()


def open_sealed(
    stored: IO[bytes], name: str, organisation_id: int, context: str = CONTEXT
) -> IO[bytes]:
    """A buffered, seekable file of the plaintext of the sealed original ``stored`` (which it
    closes), sealed under a data key of ``organisation_id`` (a header copied from another
    organisation's original is refused); ``name`` names the original in errors. ``context``
    ``DERIVATIVE`` opens a sealed derivative instead (and refuses an original's object)."""
    what = "original" if context == CONTEXT else "derivative"

    def damaged() -> OriginalDamaged:
        return OriginalDamaged(
            f"The encrypted {what} {name} failed authentication: its stored bytes were "
            "changed, cut or replaced."
        )

    try:
        head = stored.read(len(MAGIC) + _LENGTH)
        if len(head) < len(MAGIC) + _LENGTH or not head.startswith(MAGIC):
            raise damaged()
        length = int.from_bytes(head[len(MAGIC) :], "big")
        token = stored.read(length) if length <= _MAX_TOKEN else b""
        if not token or len(token) != length:
            raise damaged()
        try:
            text = token.decode("ascii")
            if not _of_organisation(keyring.key_id_of(text), organisation_id):
                raise damaged()
            key = keyring.decrypt(text, context)
        except (keyring.EncryptionError, UnicodeDecodeError, ValueError) as exc:
            raise damaged() from exc
        raw = ChunkReader(stored, key, len(MAGIC) + _LENGTH + length, damaged)
    except BaseException:
        stored.close()
        raise
    return io.BufferedReader(raw, buffer_size=CHUNK)


def _of_organisation(key_id: int, organisation_id: int) -> bool:
    scope = keyring.org_scope(organisation_id)
    return bool(DataKey.objects.filter(pk=key_id, scope=scope).exists())


def plaintext_size(stored: IO[bytes], name: str, organisation_id: int) -> int:
    with open_sealed(stored, name, organisation_id) as plain:
        return int(plain.seek(0, io.SEEK_END))
