"""``justicework evidence fsck [--repair]``: does what is stored still match what the database
says? (docs/evidence.md, "fsck").

Each check is a function in :data:`CHECKS` taking the :class:`Run` and yielding
:class:`Problem` s; another part of the vault (derivatives, another store) adds its own with
:func:`register`. The checks here:

* ``originals``: every stored original is read again through ``open_original`` (decrypted and
  authenticated when sealed), streamed in 1 MiB pieces, and the plaintext's SHA-256 and size
  compared with its row; a file that is missing or fails authentication is reported (a missing
  one except where the original was removed by the two-person procedure);
* ``orphans``: stored originals (``originals/`` and ``sealed/<organisation>/``) that no
  ``Original`` row points at (a crash between storing a file and committing its item), and
  stored derivatives no ``Derivative`` row points at (a crash during a removal, after its rows
  went); ``--repair`` removes orphan derivatives (made again from their original at will),
  never an orphan original (the bytes may be someone's upload: an operator decides);
* ``removals``: approved removals whose bytes are still stored (a crash after the approval's
  commit); ``--repair`` removes them (``actions.removals.finish_removal``);
* ``custody``: each item's chain of custody verifies (``evidence.custody.problems``), and the
  triggers that keep custody entries and tombstones append-only are in place;
* ``derivatives`` (``derivatives.checks.fsck_check``, registered by the app's ``ready``): each
  derivative's link to its original, its key, and its plaintext's SHA-256 and size.

All of them work on both backends (local files, S3) and with sealed originals.

One line per problem naming the item, original or file; the command's exit status is 1 when a
problem is left (not repaired), 0 otherwise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby

from django.db import connection

from justicework.evidence import custody, triggers
from justicework.evidence.actions import removals
from justicework.evidence.actions.derivatives import drop_unreferenced
from justicework.evidence.models import CustodyEntry, Derivative, Item, Original
from justicework.evidence.storage import Store, store
from justicework.evidence.storage.originals import OriginalDamaged, open_original

BUFFER = 1 << 20


@dataclass(frozen=True)
class Problem:
    check: str
    subject: str  # "original 4 (sha256 ab12…)", "item 7", "file originals/ab/cd/…"
    detail: str
    repaired: bool = False

    def line(self) -> str:
        state = "REPAIRED" if self.repaired else "PROBLEM"
        return f"{state} {self.check}: {self.subject}: {self.detail}"


@dataclass
class Run:
    repair: bool = False
    files: Store = field(default_factory=store)
    checked: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.checked[what] = self.checked.get(what, 0) + n


Check = Callable[[Run], Iterable[Problem]]


def _subject(original: Original) -> str:
    return f"original {original.pk} (sha256 {original.sha256})"


def stream_hash(original: Original) -> tuple[str, int]:
    """SHA-256 and size of the original's plaintext (read through ``open_original``)."""
    digest, size = hashlib.sha256(), 0
    with open_original(original) as handle:
        while chunk := handle.read(BUFFER):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def check_originals(run: Run) -> Iterator[Problem]:
    removed = set(removals.unfinished().values_list("pk", flat=True))
    for original in Original.objects.exclude(pk__in=removed).order_by("pk").iterator():
        run.count("originals")
        if not run.files.exists(original.storage_key):
            yield Problem("originals", _subject(original),
                          f"the stored file {original.storage_key} is missing")  # fmt: skip
            continue
        try:
            found, size = stream_hash(original)
        except OriginalDamaged:
            yield Problem("originals", _subject(original),
                          f"the encrypted file {original.storage_key} failed authentication: "
                          "its stored bytes were changed, cut or replaced")  # fmt: skip
            continue
        if found != original.sha256 or size != original.size:
            yield Problem(
                "originals", _subject(original),
                f"the stored file {original.storage_key} changed: SHA-256 {found}, "
                f"{size} bytes; the row says {original.sha256}, {original.size} bytes",
            )  # fmt: skip


def check_orphans(run: Run) -> Iterator[Problem]:
    known = set(Original.objects.values_list("storage_key", flat=True))
    for key in run.files.originals():
        run.count("stored files")
        if key not in known:
            yield Problem("orphans", f"file {key}", "stored, but no original row points at it")
    made = set(Derivative.objects.values_list("storage_key", flat=True))
    for key in run.files.derivatives():
        run.count("derivative files")
        if key in made:
            continue
        done = run.repair and drop_unreferenced([key]) == [key]
        detail = "stored, but no derivative row points at it"
        yield Problem("orphans", f"file {key}", f"{detail}; removed now" if done else detail,
                      repaired=done)  # fmt: skip


def check_removals(run: Run) -> Iterator[Problem]:
    for original in removals.unfinished():
        if not run.files.exists(original.storage_key):
            continue
        done = run.repair and removals.finish_removal(original.pk)
        items = ", ".join(str(pk) for pk in original.items.values_list("pk", flat=True))
        detail = (f"approved for removal (items {items}, all tombstones) but the stored file "
                  f"{original.storage_key} is still there")  # fmt: skip
        yield Problem("removals", _subject(original),
                      f"{detail}; removed now" if done else detail, repaired=done)  # fmt: skip


def check_custody(run: Run) -> Iterator[Problem]:
    if not triggers.installed(connection):
        yield Problem("custody", "database", "the triggers that keep custody entries and "
                      "tombstones append-only are missing or disabled")  # fmt: skip
    entries = CustodyEntry.objects.order_by("item_id", "seq").iterator(chunk_size=2000)
    for item_id, chain in groupby(entries, key=lambda entry: entry.item_id):
        run.count("custody chains")
        for problem in custody.problems(chain):
            yield Problem("custody", f"item {item_id}", problem)
    for item_id in Item.objects.filter(custody__isnull=True).values_list("pk", flat=True):
        yield Problem("custody", f"item {item_id}", "has no custody entry at all")


CHECKS: list[tuple[str, Check]] = [
    ("originals", check_originals),
    ("orphans", check_orphans),
    ("removals", check_removals),
    ("custody", check_custody),
]


def register(name: str, check: Check) -> None:
    """Add a check (e.g. derivatives' links to their originals); replaces one of that name."""
    CHECKS[:] = [(n, c) for n, c in CHECKS if n != name]
    CHECKS.append((name, check))


def run_checks(run: Run) -> Iterator[Problem]:
    for _name, check in CHECKS:
        yield from check(run)


def main(write: Callable[[str], None], *, repair: bool = False) -> int:
    """Run every check, writing one line per problem and a summary; the exit status."""
    run = Run(repair=repair)
    left = 0
    for problem in run_checks(run):
        write(problem.line())
        left += not problem.repaired
    counted = ", ".join(f"{n} {what}" for what, n in run.checked.items()) or "nothing"
    write(f"{'OK' if not left else f'{left} problem(s)'}: checked {counted}")
    return 1 if left else 0
