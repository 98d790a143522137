"""Content sealed in AES-256-GCM chunks under a key that seals one stream only (the "stream"
construction of age or Tink): the code shared by sealed import uploads (``dataio.sealed``),
backups (``backup.archive``) and encrypted evidence originals (``evidence.storage.sealing``).

Each chunk is ``CHUNK`` bytes of plaintext (the last one shorter, possibly empty) followed by its
16-byte tag. Chunk ``i`` uses the nonce ``i`` and authenticates ``MAGIC ‖ i ‖ last?``: a chunk
changed, moved or dropped, or a stream cut at a chunk boundary, fails to open. ``MAGIC`` is the
sealed uploads' (kept so that files sealed before this module existed still open).
"""

from __future__ import annotations

import io
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"JWSEALED\x00\x01"
CHUNK = 64 * 1024
TAG = 16


def _nonce(index: int) -> bytes:
    return index.to_bytes(12, "big")


def _aad(index: int, last: bool) -> bytes:
    return MAGIC + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


class ChunkWriter:
    """Writes content to ``handle`` in chunks sealed under ``key`` (the chunk layout above,
    without a header: the caller writes its own first). A key seals one stream only. Call
    :meth:`finish` once, at the end."""

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


def plaintext_size(chunks: int, last_length: int) -> int:
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
    A changed, moved, dropped or cut chunk raises ``make_error()``. ``file`` needs ``read`` and
    ``seek`` only (its size is found by seeking to its end), so it may be a remote object."""

    def __init__(self, file: IO[bytes], key: bytes, start: int, make_error: Any) -> None:
        super().__init__()
        self._file = file
        self._damaged = make_error
        self._start = start
        try:
            self._chunks, self._last_length = chunk_layout(start, file.seek(0, io.SEEK_END))
        except ValueError as exc:
            raise make_error() from exc
        self._aead = AESGCM(key)
        self.size = plaintext_size(self._chunks, self._last_length)
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
