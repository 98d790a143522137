"""Where originals and uploads in progress are kept: one interface (put-once, open, exists,
size, retention; ``remove(key)`` for the two-person removal only, ``originals()`` for
fsck) with two backends chosen by ``EVIDENCE_STORAGE``: local files
(``storage.local``) or an S3-compatible bucket (``storage.s3``). Uploads in progress are local
files in both. ``storage.originals`` puts an original in the store (sealed under its
organisation's data key when ``EVIDENCE_ENCRYPT`` is on) and opens it again as plaintext."""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings

from justicework.evidence.storage.local import LocalStore
from justicework.evidence.storage.s3 import S3Config, S3Store, StorageError

Store = LocalStore | S3Store

__all__ = ["LocalStore", "S3Store", "StorageError", "Store", "store"]


@functools.lru_cache(maxsize=8)
def _s3(root: Path, config: S3Config) -> S3Store:
    return S3Store(root, config)


def store() -> Store:
    """The store of this instance (read from settings at call time, so tests may move it)."""
    root = Path(settings.EVIDENCE_DIR)
    if settings.EVIDENCE_STORAGE == "s3":
        return _s3(root, S3Config.from_settings())
    return LocalStore(root)
