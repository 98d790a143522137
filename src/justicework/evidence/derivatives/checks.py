"""Checking a derivative's link to its original, for ``justicework evidence fsck``.

``check_derivative(derivative)`` answers what is wrong with one row ([] when nothing): its
original's row or file is missing, its own file is missing, or the file's SHA-256 or size is not
the row's. ``derivative_problems()`` runs it over every derivative, yielding
``(derivative, problem)``: the function ``evidence fsck`` plugs in as one of its checks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from justicework.evidence.models import Derivative, Original
from justicework.evidence.storage import store

CHUNK = 1 << 20


def _sha256_of(path_sha: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with store().open_derivative(path_sha) as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def check_derivative(derivative: Derivative) -> list[str]:
    """What is wrong with ``derivative`` and its link to its original ([] when it holds)."""
    problems: list[str] = []
    label = f"derivative {derivative.pk} ({derivative.kind})"
    original = Original.objects.filter(pk=derivative.original_id).first()
    if original is None:
        problems.append(f"{label}: its original {derivative.original_id} does not exist")
    elif not store().exists(original.sha256):
        problems.append(f"{label}: its original's file {original.sha256} is missing")
    if derivative.storage_key != store().derivative_key(derivative.sha256):
        problems.append(f"{label}: storage key {derivative.storage_key} is not its SHA-256's")
    try:
        sha256, size = _sha256_of(derivative.sha256)
    except FileNotFoundError:
        problems.append(f"{label}: file {derivative.storage_key} is missing")
        return problems
    if sha256 != derivative.sha256:
        problems.append(
            f"{label}: SHA-256 of the file is {sha256}, the row says {derivative.sha256}"
        )
    if size != derivative.size:
        problems.append(f"{label}: the file has {size} bytes, the row says {derivative.size}")
    return problems


def derivative_problems() -> Iterator[tuple[Derivative, str]]:
    """Every derivative's problems, one ``(derivative, problem)`` per problem found."""
    for derivative in Derivative.objects.order_by("pk").iterator():
        for problem in check_derivative(derivative):
            yield derivative, problem
