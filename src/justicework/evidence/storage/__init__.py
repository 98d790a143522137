"""Where originals and uploads in progress are kept (one interface: put-once, open, exists,
size; ``remove(key)`` for the two-person removal only, and ``originals()`` for fsck). Local
files today (``storage.local``); other stores come later behind the same calls."""

from __future__ import annotations

from justicework.evidence.storage.local import LocalStore, store

__all__ = ["LocalStore", "store"]
