"""The import app's exceptions, in a module of their own so that readers, sealed uploads, storage
and the run model can all raise them without importing one another."""

from __future__ import annotations


class FileProblem(Exception):
    """The file as a whole cannot be read. ``row`` is where it was noticed (0: before any row)."""

    def __init__(self, reason: str, row: int = 0, column: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.row = row
        self.column = column


class IllegalTransition(Exception):
    """An import run was asked to move to a status its current one does not lead to
    (``ImportRun.move_to``, ``models.TRANSITIONS``)."""
