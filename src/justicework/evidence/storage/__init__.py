"""Where originals and uploads in progress are kept (one interface: put-once, open, exists,
size). Local files today (``storage.local``); other stores come later behind the same calls."""

from __future__ import annotations

from justicework.evidence.storage.local import LocalStore, store

__all__ = ["LocalStore", "store"]
