"""Uploaded import files sealed at rest.

An upload holds the rows in clear (names, dates of birth, contacts) until it is committed or
purged (``retention``). ``store_upload`` therefore writes it sealed: a fresh 256-bit key per
file, itself encrypted under the organisation's data key (``keyring.encrypt``, context
``dataio.upload``) in the file's header, and the content in AES-256-GCM chunks of 64 KiB.

Layout: ``MAGIC``, the length of the key's ciphertext (4 bytes, big-endian) and that
ciphertext, then the chunks, each ``CHUNK`` bytes of plaintext (the last one shorter, possibly
empty) followed by its 16-byte tag. Chunk ``i`` uses the nonce ``i`` (a key seals one file
only) and authenticates ``MAGIC ‖ i ‖ last?``: a chunk changed, moved or dropped, or a file cut
at a chunk boundary, fails to open (a "stream" construction, as in age or Tink).

:func:`open_upload` gives a seekable binary file of the plaintext for either kind of file (a
sealed upload, or a plain file given to the command line), so the CSV, XLSX (random access
into the zip) and JSON readers work unchanged. A damaged or altered sealed file raises
:class:`~justicework.dataio.readers.FileProblem`; the plaintext never touches the disk.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils.translation import gettext as _

from justicework.dataio.errors import FileProblem
from justicework.encryption import keyring
from justicework.encryption.chunks import (
    CHUNK,
    MAGIC,
    TAG,
    ChunkReader,
    ChunkWriter,
    chunk_layout,
    plaintext_size,
)

__all__ = ["CHUNK", "MAGIC", "TAG", "ChunkReader", "ChunkWriter", "chunk_layout"]

CONTEXT = "dataio.upload"
_LENGTH = 4


def _damaged() -> FileProblem:
    return FileProblem(
        _("The stored upload is damaged or was changed after it was uploaded; upload it again.")
    )


class SealingWriter(ChunkWriter):
    """Writes ``MAGIC``, the sealed file key and then the content in sealed chunks to
    ``handle`` (the caller opens and closes it). Call :meth:`finish` once, at the end."""

    def __init__(self, handle: IO[bytes], organisation_id: int) -> None:
        key = AESGCM.generate_key(bit_length=256)
        token = keyring.encrypt(key, keyring.org_scope(organisation_id), CONTEXT).encode("ascii")
        handle.write(MAGIC + len(token).to_bytes(_LENGTH, "big") + token)
        super().__init__(handle, key)


def _layout(handle: IO[bytes]) -> tuple[bytes, int, int, int]:
    """Read a sealed file's header from the start of ``handle``: (the key's ciphertext, where
    the chunks start, how many there are, the length of the last one with its tag)."""
    head = handle.read(len(MAGIC) + _LENGTH)
    if len(head) < len(MAGIC) + _LENGTH or not head.startswith(MAGIC):
        raise _damaged()
    length = int.from_bytes(head[len(MAGIC) :], "big")
    token = handle.read(length)
    if len(token) != length:
        raise _damaged()
    start = len(MAGIC) + _LENGTH + length
    body = os.fstat(handle.fileno()).st_size - start
    chunks = max(1, -(-body // (CHUNK + TAG)))
    last_length = body - (chunks - 1) * (CHUNK + TAG)
    if last_length < TAG:
        raise _damaged()
    return token, start, chunks, last_length


class _SealedRaw(ChunkReader):
    """The plaintext of a sealed file, read (and authenticated) a chunk at a time."""

    def __init__(self, path: Path) -> None:
        file = path.open("rb")
        try:
            token, start, _chunks, _last_length = _layout(file)
            try:
                key = keyring.decrypt(token.decode("ascii"), CONTEXT)
            except (keyring.EncryptionError, UnicodeDecodeError, ValueError) as exc:
                raise _damaged() from exc
            super().__init__(file, key, start, _damaged)
        except BaseException:
            file.close()
            raise


def is_sealed(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def open_upload(path: Path) -> IO[bytes]:
    """A buffered, seekable binary file of ``path``'s content: decrypted and authenticated
    chunk by chunk when it is a sealed upload, the file itself otherwise."""
    if is_sealed(path):
        return io.BufferedReader(_SealedRaw(path), buffer_size=CHUNK)
    return path.open("rb")


def content_size(path: Path) -> int:
    """The size of ``path``'s content (a sealed upload's plaintext size, from its layout: the
    content is authenticated when it is read)."""
    with path.open("rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            return os.fstat(handle.fileno()).st_size
        handle.seek(0)
        _token, _start, chunks, last_length = _layout(handle)
    return plaintext_size(chunks, last_length)
