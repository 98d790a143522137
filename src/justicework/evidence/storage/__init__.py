"""Where originals, derivatives and files being written are kept: one interface, :class:`Store`,
with two backends chosen by ``EVIDENCE_STORAGE``: local files (``storage.local``) or an
S3-compatible bucket (``storage.s3``). Files being written (uploads in progress, a capture's or
an ingest's copy) are local files in both. ``storage.originals`` puts an original in the store
(sealed under its organisation's data key when ``EVIDENCE_ENCRYPT`` is on) and opens it again as
plaintext; ``storage.derived`` does the same for derivatives (sealed when their original is)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from django.conf import settings

from justicework.evidence.storage.local import LocalStore
from justicework.evidence.storage.s3 import S3Config, S3Store, StorageError

__all__ = ["LocalStore", "S3Store", "StorageError", "Store", "store"]


class Store(Protocol):
    """What every backend does. Originals and derivatives are named by their key (an
    original's ``storage_key``; a plain one's SHA-256 will do), written once, never
    overwritten, removed only by the two-person removal (or, for a derivative, when one made
    again replaces it)."""

    root: Path  # the local vault directory (files being written live under it)
    backend: str

    # originals
    def key_for(self, sha256: str, vault: int | None = None) -> str: ...
    def exists(self, name: str) -> bool: ...
    def size(self, name: str) -> int: ...
    def open(self, name: str) -> BinaryIO: ...
    def retention(self, name: str) -> tuple[str, dt.datetime | None]: ...
    def put_once(self, name: str, source: Path) -> bool: ...
    def remove(self, key: str) -> None: ...
    def originals(self) -> Iterator[str]: ...

    # derivatives
    def derivative_key(self, sha256: str, vault: int | None = None) -> str: ...
    def derivative_exists(self, name: str) -> bool: ...
    def open_derivative(self, name: str) -> BinaryIO: ...
    def put_derivative(self, name: str, data: bytes) -> bool: ...
    def remove_derivative(self, name: str) -> None: ...
    def derivatives(self) -> Iterator[str]: ...

    # files being written (local on both backends)
    def part_path(self, upload_id: Any) -> Path: ...
    def discard_part(self, upload_id: Any) -> None: ...
    def incoming_dir(self) -> Path: ...


@functools.lru_cache(maxsize=8)
def _s3(root: Path, config: S3Config) -> S3Store:
    return S3Store(root, config)


def store() -> Store:
    """The store of this instance (read from settings at call time, so tests may move it)."""
    root = Path(settings.EVIDENCE_DIR)
    if settings.EVIDENCE_STORAGE == "s3":
        return _s3(root, S3Config.from_settings())
    return LocalStore(root)
