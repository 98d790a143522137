"""Streamed SHA-256 + SHA-512 of the evidence vault (``evidence.intake.hashing``), with both
states saved to bytes and restored after every MiB as between two tus PATCH requests, against
``hashlib`` computing the same two digests over the same bytes in the same process."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from benchmarks import figure, rate, size

BLOCK = 1 << 20


def run() -> list[dict[str, Any]]:
    from justicework.evidence.intake.hashing import StreamHasher

    mib = size(256, 32)
    blocks = [os.urandom(BLOCK) for _ in range(mib)]

    def streamed() -> None:
        hasher = StreamHasher()
        for block in blocks:
            hasher.update(block)
            hasher = StreamHasher(*hasher.states())
        hasher.digests()

    def plain() -> None:
        first, second = hashlib.sha256(), hashlib.sha512()
        for block in blocks:
            first.update(block)
            second.update(block)
        first.hexdigest(), second.hexdigest()

    ours = rate(streamed, mib)
    theirs = rate(plain, mib)
    name = "streamed SHA-256+SHA-512, state saved every MiB"
    baseline = "hashlib SHA-256+SHA-512, same bytes"
    return [figure(name, ours, "MiB/s", baseline, theirs, mib=mib)]
