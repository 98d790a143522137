"""Request uploads never lie on disk in clear, not even while the request is being read.

Django keeps an upload over ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) in a named temporary file
in the system temp directory until the request ends, in clear, and a crash leaves it there. An
import file holds names, dates of birth and contacts, so :class:`SealedTemporaryUploadHandler`
replaces Django's ``TemporaryFileUploadHandler``: the bytes go to an anonymous temporary file
(unlinked at once on POSIX, so a crash leaves no name behind) encrypted with AES-256-CTR under a
key that exists only in this process's memory. The view reads the upload as usual (``chunks()``,
``read()``, ``seek()``); once the request ends, the key is gone and the file with it.

CTR rather than an authenticated mode: the file is never read by anyone holding the key but this
request, so the threat is disclosure, not tampering; CTR keeps random access trivial.
"""

from __future__ import annotations

import io
import os
import tempfile
from typing import IO, Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers

_BLOCK = 16


def _temp_dir() -> str | None:
    configured = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    return str(configured) if configured else None


class _CounterCipher:
    """AES-256-CTR whose keystream can start at any byte offset."""

    def __init__(self) -> None:
        self._key = os.urandom(32)
        self._nonce = os.urandom(8)

    def at(self, offset: int) -> Any:
        block, skip = divmod(offset, _BLOCK)
        counter = self._nonce + block.to_bytes(8, "big")
        cipher = Cipher(algorithms.AES(self._key), modes.CTR(counter)).encryptor()
        cipher.update(b"\x00" * skip)
        return cipher


class SealedTemporaryFile(io.RawIOBase):
    """A readable, seekable view of the plaintext of an encrypted anonymous temporary file."""

    def __init__(self, directory: str | None = None) -> None:
        super().__init__()
        self._cipher = _CounterCipher()
        self.raw_file: IO[bytes] = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115
        self._writer = self._cipher.at(0)
        self._position = 0
        self._reader: Any = None

    def append(self, data: bytes) -> None:
        """Add plaintext at the end (during the upload only)."""
        self.raw_file.seek(0, io.SEEK_END)
        self.raw_file.write(self._writer.update(data))

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        size = self.raw_file.seek(0, io.SEEK_END)
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: size}[whence]
        self._position = max(0, base + offset)
        self._reader = None
        return self._position

    def tell(self) -> int:
        return self._position

    def readinto(self, buffer: Any) -> int:
        self.raw_file.seek(self._position)
        data = self.raw_file.read(len(buffer))
        if self._reader is None:
            self._reader = self._cipher.at(self._position)
        plain = self._reader.update(data)
        buffer[: len(plain)] = plain
        self._position += len(plain)
        return len(plain)

    def close(self) -> None:
        self.raw_file.close()
        super().close()


class SealedUploadedFile(UploadedFile):
    """What the view gets: an ``UploadedFile`` reading the decrypted bytes."""

    def __init__(
        self,
        sealed: SealedTemporaryFile,
        name: str | None,
        content_type: str | None,
        size: int,
        charset: str | None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        buffered = io.BufferedReader(sealed, buffer_size=64 * 1024)
        super().__init__(buffered, name, content_type, size, charset, content_type_extra)
        self.sealed = sealed


class SealedTemporaryUploadHandler(FileUploadHandler):
    """Streams every upload that did not fit in memory into a :class:`SealedTemporaryFile`."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.sealed = SealedTemporaryFile(_temp_dir())

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.sealed.append(raw_data)
        return None

    def file_complete(self, file_size: int) -> SealedUploadedFile:
        self.sealed.seek(0)
        return SealedUploadedFile(
            self.sealed,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )

    def upload_interrupted(self) -> None:
        if hasattr(self, "sealed"):
            self.sealed.close()


__all__ = ["SealedTemporaryUploadHandler", "SealedUploadedFile", "StopFutureHandlers"]
