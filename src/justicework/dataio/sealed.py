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
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils.translation import gettext as _

from justicework.dataio.errors import FileProblem
from justicework.encryption import keyring

MAGIC = b"JWSEALED\x00\x01"
CHUNK = 64 * 1024
TAG = 16
CONTEXT = "dataio.upload"
_LENGTH = 4


def _nonce(index: int) -> bytes:
    return index.to_bytes(12, "big")


def _aad(index: int, last: bool) -> bytes:
    return MAGIC + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


def _damaged() -> FileProblem:
    return FileProblem(
        _("The stored upload is damaged or was changed after it was uploaded; upload it again.")
    )


class ChunkWriter:
    """Writes content to ``handle`` in chunks sealed under ``key`` (the chunk layout above,
    without a header: the caller writes its own first). A key seals one stream only. Call
    :meth:`finish` once, at the end. Also used by ``justicework.backup``."""

    def __init__(self, handle: IO[bytes], key: bytes) -> None:
        self._handle = handle
        self._aead = AESGCM(key)
        self._pending = bytearray()
        self._index = 0
        self._finished = False

    def _seal(self, data: bytes, last: bool) -> None:
        self._handle.write(self._aead.encrypt(_nonce(self._index), data, _aad(self._index, last)))
        self._index += 1

    def write(self, data: bytes) -> None:
        self._pending += data
        # A full chunk is sealed once more data follows it: the last chunk is known at finish.
        while len(self._pending) > CHUNK:
            self._seal(bytes(self._pending[:CHUNK]), last=False)
            del self._pending[:CHUNK]

    def finish(self) -> None:
        if self._finished:
            raise RuntimeError(f"{type(self).__name__}.finish called twice")
        self._finished = True
        self._seal(bytes(self._pending), last=True)
        self._pending.clear()


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


def _plaintext_size(chunks: int, last_length: int) -> int:
    return (chunks - 1) * CHUNK + last_length - TAG


def chunk_layout(start: int, end: int) -> tuple[int, int]:
    """(how many chunks, the length of the last one with its tag) of sealed chunks that run
    from ``start`` to ``end`` in a file; raises ``ValueError`` when they cannot be chunks."""
    body = end - start
    chunks = max(1, -(-body // (CHUNK + TAG)))
    last_length = body - (chunks - 1) * (CHUNK + TAG)
    if last_length < TAG:
        raise ValueError("too short for its last chunk")
    return chunks, last_length


class ChunkReader(io.RawIOBase):
    """The plaintext of chunks sealed by :class:`ChunkWriter` under ``key``, from ``start`` to
    the end of ``file`` (which it closes), read and authenticated a chunk at a time; seekable.
    A changed, moved, dropped or cut chunk raises ``make_error()``. Also used by
    ``justicework.backup``."""

    def __init__(self, file: IO[bytes], key: bytes, start: int, make_error: Any) -> None:
        super().__init__()
        self._file = file
        self._damaged = make_error
        self._start = start
        try:
            self._chunks, self._last_length = chunk_layout(start, os.fstat(file.fileno()).st_size)
        except ValueError as exc:
            raise make_error() from exc
        self._aead = AESGCM(key)
        self.size = _plaintext_size(self._chunks, self._last_length)
        self._position = 0
        self._cached: tuple[int, bytes] | None = None
        self._chunk(self._chunks - 1)  # a file cut at a chunk boundary fails here, at once

    def _chunk(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        last = index == self._chunks - 1
        self._file.seek(self._start + index * (CHUNK + TAG))
        sealed = self._file.read(self._last_length if last else CHUNK + TAG)
        try:
            data = self._aead.decrypt(_nonce(index), sealed, _aad(index, last))
        except InvalidTag as exc:
            raise self._damaged() from exc
        self._cached = (index, data)
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._position >= self.size:
            return 0
        index = self._position // CHUNK
        data = self._chunk(index)
        offset = self._position - index * CHUNK
        count = min(len(buffer), len(data) - offset)
        buffer[:count] = data[offset : offset + count]
        self._position += count
        return count

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        if not self.closed:
            self._file.close()
        super().close()


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
    return _plaintext_size(chunks, last_length)
