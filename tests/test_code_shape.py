"""The shape of the code (STYLE, issue 10): modules ≤ 500 lines, functions ≤ 60 lines and no
function above radon's grade C (cyclomatic complexity ≤ 20).

The few exceptions are listed with their size today and may only shrink: a test fails when one
grows, and when one is back under the limit (so that its entry is removed).
"""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Class, Function

SRC = Path(__file__).resolve().parent.parent / "src" / "justicework"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
MAX_COMPLEXITY = 20  # radon grade C is 11 to 20

#: module (relative to src/justicework) → its line count today.
LONG_MODULES: dict[str, int] = {}
#: "module:qualified.name" → its length in lines today.
LONG_FUNCTIONS: dict[str, int] = {}
#: "module:qualified.name" → its cyclomatic complexity today.
COMPLEX_FUNCTIONS: dict[str, int] = {}


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def _functions(path: Path) -> list[tuple[str, int, int]]:
    """(qualified name, lines, complexity) of every function, method and closure in ``path``."""
    found: list[tuple[str, int, int]] = []

    def visit(block: Function, name: str) -> None:
        found.append((name, block.endline - block.lineno + 1, block.complexity))
        for closure in block.closures:
            visit(closure, f"{name}.{closure.name}")

    for block in cc_visit(path.read_text(encoding="utf-8")):
        if isinstance(block, Class):
            continue  # its methods are listed on their own
        visit(block, f"{block.classname}.{block.name}" if block.classname else block.name)
    return found


def _over(measure: dict[str, int], limit: int, allowed: dict[str, int]) -> list[str]:
    problems = []
    for name, value in sorted(measure.items()):
        ceiling = allowed.get(name, limit)
        if value > ceiling:
            problems.append(f"{name}: {value} (limit {ceiling})")
    for name, value in sorted(allowed.items()):
        if measure.get(name, 0) <= limit:
            problems.append(f"{name} is within the limit now: remove it from the exceptions")
        elif measure[name] < value:
            problems.append(f"{name} shrank to {measure[name]}: lower its entry")
    return problems


def _measures() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    lines: dict[str, int] = {}
    lengths: dict[str, int] = {}
    complexity: dict[str, int] = {}
    for path in _modules():
        module = str(path.relative_to(SRC))
        lines[module] = len(path.read_text(encoding="utf-8").splitlines())
        for name, length, cc in _functions(path):
            key = f"{module}:{name}"
            lengths[key] = max(length, lengths.get(key, 0))
            complexity[key] = max(cc, complexity.get(key, 0))
    return lines, lengths, complexity


def test_modules_stay_short():
    lines, _, _ = _measures()
    assert _over(lines, MAX_MODULE_LINES, LONG_MODULES) == []


def test_functions_stay_short():
    _, lengths, _ = _measures()
    assert _over(lengths, MAX_FUNCTION_LINES, LONG_FUNCTIONS) == []


def test_no_function_is_above_grade_c():
    _, _, complexity = _measures()
    assert _over(complexity, MAX_COMPLEXITY, COMPLEX_FUNCTIONS) == []


def test_the_measures_see_a_long_and_complex_function(tmp_path):
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(30))
    path = tmp_path / "big.py"
    path.write_text(f"class K:\n  def f(self, x):\n{branches}\n    return -1\n", encoding="utf-8")
    [(name, length, cc)] = _functions(path)
    assert name == "K.f" and length == 62 and cc == 31
    assert _over({"big.py:K.f": length}, MAX_FUNCTION_LINES, {}) == ["big.py:K.f: 62 (limit 60)"]
