"""Writing one PATCH's bytes to an upload's part file, hashing them on the way.

The part file is locked (``flock``, released by the kernel if the process dies) for the
request, so two requests never write one upload at once; it is first cut back to the offset
the database holds, so bytes a killed request wrote past it are dropped and the client, which
resumes from that offset (``HEAD``), sends them again. The bytes are fsynced before the caller
records the new offset and hash states, in one row update.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from justicework.evidence.intake.errors import ChecksumMismatch, IntakeError, WrongOffset
from justicework.evidence.intake.hashing import StreamHasher
from justicework.evidence.models import Upload

#: Bytes read from the request at a time.
BLOCK = 1 << 20
#: ``Upload-Checksum`` algorithms (tus checksum extension), as ``Tus-Checksum-Algorithm``.
CHECKSUM_ALGORITHMS = ("sha1", "sha256", "sha512", "md5")


@dataclass(frozen=True)
class Checksum:
    algorithm: str
    digest: bytes

    @classmethod
    def parse(cls, header: str) -> Checksum | None:
        """``Upload-Checksum: <algorithm> <base64 digest>``; None when absent; 400 when bad."""
        if not header:
            return None
        algorithm, _space, encoded = header.strip().partition(" ")
        if algorithm.lower() not in CHECKSUM_ALGORITHMS:
            raise IntakeError(
                _("Checksum algorithm %(name)s is not supported; use one of %(names)s.")
                % {"name": algorithm, "names": ", ".join(CHECKSUM_ALGORITHMS)}
            )
        try:
            digest = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise IntakeError(_("Upload-Checksum's digest is not base 64.")) from exc
        return cls(algorithm.lower(), digest)


def _read(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes; b"" when the client has gone (a dropped connection ends the
    chunk: what came is kept, unless a checksum covers the chunk)."""
    try:
        return stream.read(size)
    except OSError:
        return b""


def _lock(path: Path) -> int:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        os.close(descriptor)
        raise WrongOffset(_("Another request is writing to this upload; try again.")) from exc
    return descriptor


def receive(
    upload: Upload, path: Path, stream: BinaryIO, length: int, checksum: Checksum | None
) -> tuple[int, tuple[bytes, bytes]]:
    """Append up to ``length`` bytes of ``stream`` at ``upload.offset``. Returns the new offset
    and hash states (the bytes fsynced). A checksum that does not match (or a chunk cut short
    under a checksum) drops the chunk: ``ChecksumMismatch``."""
    if length > upload.length - upload.offset:
        raise IntakeError(_("This chunk goes past the length declared for the upload."), 413)
    descriptor = _lock(path)
    try:
        if os.fstat(descriptor).st_size < upload.offset:
            raise IntakeError(_("The bytes received so far are lost; start the upload again."), 410)
        os.ftruncate(descriptor, upload.offset)
        os.lseek(descriptor, upload.offset, os.SEEK_SET)
        hasher = StreamHasher(bytes(upload.sha256_state), bytes(upload.sha512_state))
        chunk: Any = hashlib.new(checksum.algorithm) if checksum else None
        received = _copy(stream, descriptor, length, hasher, chunk)
        if checksum is not None and (received != length or chunk.digest() != checksum.digest):
            os.ftruncate(descriptor, upload.offset)
            raise ChecksumMismatch(
                _("The chunk does not match its Upload-Checksum; it was dropped. Send it again.")
            )
        os.fsync(descriptor)
        return upload.offset + received, hasher.states()
    finally:
        os.close(descriptor)


def _copy(stream: BinaryIO, descriptor: int, length: int, hasher: StreamHasher, chunk: Any) -> int:
    received = 0
    while received < length:
        block = _read(stream, min(BLOCK, length - received))
        if not block:
            break
        view = memoryview(block)
        while view:
            view = view[os.write(descriptor, view) :]
        hasher.update(block)
        if chunk is not None:
            chunk.update(block)
        received += len(block)
    return received
