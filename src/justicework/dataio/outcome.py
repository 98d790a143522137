"""What an import pass found and did (:class:`Outcome`), and the callbacks it reports through."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from justicework.dataio.schema import RowProblem

#: Flags kept on an outcome (and stored on a run); all are counted.
MAX_FLAGS = 10_000
ProblemSink = Callable[[RowProblem], None]
#: ``progress(phase, done, total)``; total is 0 while unknown. Phases: "validate", "commit".
ProgressSink = Callable[[str, int, int], None]


@dataclass
class Outcome:
    rows: int = 0
    valid: int = 0
    error_count: int = 0
    already_imported: int = 0
    created: int = 0
    skipped: int = 0
    #: A problem with the whole file (encoding, missing columns, damaged XLSX, size).
    problem: RowProblem | None = None
    committed: bool = False
    sample: list[RowProblem] = field(default_factory=list)
    #: The dry run's notes on valid rows (``Schema.flag_chunk``: likely duplicates), the first
    #: :data:`MAX_FLAGS`; ``flag_count`` counts them all.
    flags: list[Any] = field(default_factory=list)
    flag_count: int = 0
    #: Rows imported before whose values differ (the dry run: ``dataio.reimport.Change``), the
    #: first ``reimport.MAX_CHANGES``; ``changed`` counts them all.
    changes: list[Any] = field(default_factory=list)
    changed: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None and self.error_count == 0

    def nothing_written(self) -> None:
        """An all-or-nothing import rolled back: no row was created, or skipped as imported."""
        self.created = self.skipped = self.already_imported = self.changed = 0


def emit(outcome: Outcome, problem: RowProblem, sink: ProblemSink | None, keep: int) -> None:
    """Count a problem, keep the first ``keep`` on the outcome and pass every one to ``sink``."""
    outcome.error_count += 1
    if len(outcome.sample) < keep:
        outcome.sample.append(problem)
    if sink is not None:
        sink(problem)
