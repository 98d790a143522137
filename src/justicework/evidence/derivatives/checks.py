"""Checking a derivative's link to its original, for ``justicework evidence fsck``.

``check_derivative(derivative)`` answers what is wrong with one row ([] when nothing): its
original's row or file is missing, its own file is missing, its key is not its hash's (sealed
for its original's organisation when the original is sealed), or the plaintext's SHA-256 or
size is not the row's (a sealed one that fails authentication is named so).
``derivative_problems()`` runs it over every derivative, yielding ``(derivative, problem)``;
``fsck_check`` is the check ``evidence fsck`` runs (registered by the app's ``ready``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from justicework.evidence.models import Derivative, Original
from justicework.evidence.storage import derived, store
from justicework.evidence.storage.originals import OriginalDamaged

if TYPE_CHECKING:
    from justicework.evidence import fsck

CHUNK = 1 << 20


def _sha256_of(derivative: Derivative) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with derived.open_derivative(derivative) as stream:
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
        return problems
    if not store().exists(original.storage_key):
        problems.append(f"{label}: its original's file {original.sha256} is missing")
    if derivative.storage_key != store().derivative_key(derivative.sha256, original.vault_id):
        problems.append(f"{label}: storage key {derivative.storage_key} is not its SHA-256's")
        return problems
    try:
        sha256, size = _sha256_of(derivative)
    except FileNotFoundError:
        problems.append(f"{label}: file {derivative.storage_key} is missing")
        return problems
    except OriginalDamaged:
        problems.append(f"{label}: the encrypted file {derivative.storage_key} failed "
                        "authentication: its stored bytes were changed")  # fmt: skip
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
    rows = Derivative.objects.select_related("original").order_by("pk")
    for derivative in rows.iterator(chunk_size=500):
        for problem in check_derivative(derivative):
            yield derivative, problem


def fsck_check(run: fsck.Run) -> Iterator[fsck.Problem]:
    """``evidence fsck``'s check "derivatives": every row checked, one problem per line."""
    from justicework.evidence.fsck import Problem

    if count := Derivative.objects.count():
        run.count("derivatives", count)
    for derivative, problem in derivative_problems():
        label = f"derivative {derivative.pk} ({derivative.kind})"
        yield Problem("derivatives", label, problem.removeprefix(f"{label}: "))
