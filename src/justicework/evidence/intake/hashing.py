"""SHA-256 and SHA-512 of a stream that arrives over many requests, with the state kept as bytes.

``hashlib`` cannot save a hash's state, and a tus upload arrives in many PATCH requests, perhaps
on different worker processes, with a crash possible between two. The OpenSSL library that
Python already loads (``libcrypto``) still exports the low-level ``SHA256_Init/Update/Final``
and ``SHA512_*`` functions, whose context structures are plain, public and fixed in size
(``openssl/sha.h``: 112 and 216 bytes, no pointers). Calling them through ``ctypes`` hashes at
``hashlib``'s speed, and a context is saved by copying its bytes and restored by copying them
back (docs/plans/evidence.md, "Decisions taken after trying"; ``tests/evidence/intake/
test_hashing.py`` compares the digests with ``hashlib``'s on random splits).

The saved state is only ever read back by this module on the same kind of machine: it is the
C structure's memory (native byte order), so it is not a portable format, nor is it meant to be.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from dataclasses import dataclass
from typing import Any

SHA256_CTX_SIZE = 112
SHA512_CTX_SIZE = 216


@functools.cache
def _libcrypto() -> Any:
    name = ctypes.util.find_library("crypto")
    if name is None:  # pragma: no cover - every supported system has it (Python's ssl needs it)
        raise RuntimeError("libcrypto (OpenSSL) was not found: the evidence vault needs it.")
    lib = ctypes.CDLL(name)
    for prefix in ("SHA256", "SHA512"):
        init, update, final = (getattr(lib, f"{prefix}_{f}") for f in ("Init", "Update", "Final"))
        init.argtypes, init.restype = [ctypes.c_void_p], ctypes.c_int
        update.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
        update.restype = ctypes.c_int
        final.argtypes, final.restype = [ctypes.c_char_p, ctypes.c_void_p], ctypes.c_int
    return lib


class _Context:
    """One low-level hash context in a ctypes buffer."""

    def __init__(self, prefix: str, size: int, digest_size: int, state: bytes | None) -> None:
        lib = _libcrypto()
        self._update = getattr(lib, f"{prefix}_Update")
        self._final = getattr(lib, f"{prefix}_Final")
        self._digest_size = digest_size
        self._buffer = ctypes.create_string_buffer(size)
        if state is None:
            if getattr(lib, f"{prefix}_Init")(self._buffer) != 1:
                raise RuntimeError(f"{prefix}_Init failed")
        elif len(state) != size:
            raise ValueError(f"A saved {prefix} state is {size} bytes, not {len(state)}.")
        else:
            ctypes.memmove(self._buffer, state, size)

    def update(self, data: bytes) -> None:
        if data and self._update(self._buffer, data, len(data)) != 1:
            raise RuntimeError("hash update failed")

    def state(self) -> bytes:
        return self._buffer.raw

    def hexdigest(self) -> str:
        """The digest of what was fed, leaving this context as it was (a copy is finalised)."""
        copy = ctypes.create_string_buffer(self._buffer.raw, len(self._buffer))
        out = ctypes.create_string_buffer(self._digest_size)
        if self._final(out, copy) != 1:
            raise RuntimeError("hash final failed")
        return out.raw.hex()


@dataclass(frozen=True)
class Digests:
    sha256: str
    sha512: str


class StreamHasher:
    """SHA-256 and SHA-512 of the same bytes, fed in pieces; ``states()`` saves both contexts
    as bytes and ``StreamHasher(*states)`` continues from them."""

    def __init__(self, sha256_state: bytes | None = None, sha512_state: bytes | None = None):
        self._sha256 = _Context("SHA256", SHA256_CTX_SIZE, 32, sha256_state)
        self._sha512 = _Context("SHA512", SHA512_CTX_SIZE, 64, sha512_state)

    def update(self, data: bytes) -> None:
        self._sha256.update(data)
        self._sha512.update(data)

    def states(self) -> tuple[bytes, bytes]:
        return self._sha256.state(), self._sha512.state()

    def digests(self) -> Digests:
        return Digests(self._sha256.hexdigest(), self._sha512.hexdigest())
