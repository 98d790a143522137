"""Benchmarks (``make bench``); see ``benchmarks/run.py`` for the contract."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any


def quick() -> bool:
    """True under ``run.py --quick`` (smaller sizes, for CI smoke runs)."""
    return os.environ.get("JUSTICEWORK_BENCH_QUICK") == "1"


def size(full: int, small: int) -> int:
    return small if quick() else full


def rate(fn: Callable[[], Any], count: int, repeat: int = 3) -> float:
    """Operations per second: ``fn`` performs ``count`` operations; best of ``repeat`` runs."""
    best = float("inf")
    for _ in range(1 if quick() else repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return count / best if best > 0 else float("inf")


def figure(
    figure: str, value: float, unit: str, baseline: str, baseline_value: float, **extra: Any
) -> dict[str, Any]:
    """One result row; ``run.py`` adds ``bench`` and ``ratio`` (value / baseline_value)."""
    return {
        "figure": figure,
        "value": round(value, 1),
        "unit": unit,
        "baseline": baseline,
        "baseline_value": round(baseline_value, 1),
        **extra,
    }
