"""The canonical JSON text of the audit log: keys sorted, no spaces, UTF-8 as it is, and
``str()`` of what JSON cannot hold. An entry's hash covers this text (``audit.hashing``), and
the stored diff is spelled this way too (:class:`CanonicalJSONEncoder`): one encoding per entry
on SQLite, where the column keeps the text (PostgreSQL parses it into jsonb).
"""

from __future__ import annotations

import json
from typing import Any

# json.dumps with these options would build a new encoder per call; the output is the same.
_encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
# CPython's C encoder with the same options, built once (``JSONEncoder.encode`` builds it on
# every call); without its circular-reference bookkeeping: a diff is a tree, and a cycle still
# fails (RecursionError). Byte-identical to ``_encoder.encode`` (tests/audit/test_canonical.py).
_make: Any = getattr(json.encoder, "c_make_encoder", None)  # not in typeshed's stubs
_chunks: Any = None
if _make is not None:
    _chunks = _make(None, str, json.encoder.encode_basestring, None, ":", ",", True, False, True)


def canonical_text(data: Any) -> str:
    """The canonical JSON text of ``data``."""
    if _chunks is None:  # another interpreter: the pure-Python encoder
        return _encoder.encode(data)
    return "".join(_chunks(data, 0))


class CanonicalJSONEncoder(json.JSONEncoder):
    """The encoder of ``AuditEntry.diff``: whatever options ``json.dumps`` passes, the text is
    :func:`canonical_text`'s, so the column holds the very text an entry's hash covers."""

    def __init__(self, **_options: Any) -> None:
        super().__init__(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)

    def encode(self, o: Any) -> str:
        return canonical_text(o)
