"""The arrows between apps (docs/architecture.md, "Apps and their arrows"), read from the AST.

Every import counts, at module level and inside functions (a lazy import is still an arrow);
only ``if TYPE_CHECKING:`` blocks are left out of the cycle check, since they never run.
"""

from __future__ import annotations

import ast
import itertools
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "justicework"

#: Apps that assemble or feed the domain: no other app may import them.
ASSEMBLERS = frozenset({"web", "api", "demo"})
#: Apps that may not import ``web`` or ``demo`` (the registries of ``web`` and the steps of
#: ``demo`` are how they plug in). Every other app is checked too; these must exist.
DOMAIN = ("violations", "dataio", "search", "audit", "encryption", "tasks", "core")
FORBIDDEN = frozenset({"web", "demo"})

#: Known import cycles between modules: each entry must still be a whole cycle (shrink it as
#: cycles are cut; a stale entry fails).
MODULE_CYCLES_ALLOWED: dict[frozenset[str], str] = {}
#: Cycles between apps kept by decision (architecture.md: core.actions writes the audit log,
#: audit asks core.policy, encryption audits rotation).
APP_CYCLES_ALLOWED: dict[frozenset[str], str] = {
    frozenset({"audit", "core", "encryption", "search", "tasks"}): (
        "the foundation is one layer whose apps use each other's modules; no module is in a "
        "cycle (docs/architecture.md, 'Apps and their arrows')"
    ),
}


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    where: str  # path:line
    type_only: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_only_nodes(tree: ast.AST) -> set[int]:
    nodes: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            nodes.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return nodes


def _targets(node: ast.Import | ast.ImportFrom, package: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def imports() -> list[Import]:
    found = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        type_only = _type_only_nodes(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(node, package):
                if target.startswith("justicework.") and target != name:
                    where = f"{path.relative_to(SRC.parent)}:{node.lineno}"
                    found.append(Import(name, target, where, id(node) in type_only))
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else None


def strongly_connected(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Tarjan's components of more than one node: each holds at least one cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = {stack.pop()}
            while node not in component:
                component.add(stack.pop())
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def a_cycle(graph: dict[str, set[str]], component: frozenset[str]) -> list[str]:
    """One cycle inside ``component`` (shortest from its first node), for the failure message."""
    start = min(component)
    paths: deque[list[str]] = deque([[start]])
    while paths:
        path = paths.popleft()
        for nxt in sorted(graph.get(path[-1], set()) & component):
            if nxt == start:
                return [*path, start]
            if nxt not in path:
                paths.append([*path, nxt])
    return [start]


def _graphs() -> tuple[dict[str, set[str]], dict[str, set[str]], dict[tuple[str, str], str]]:
    modules: dict[str, set[str]] = {}
    apps: dict[str, set[str]] = {}
    where: dict[tuple[str, str], str] = {}
    for imp in imports():
        if imp.type_only or imp.target not in MODULES:
            continue
        modules.setdefault(imp.source, set()).add(imp.target)
        where.setdefault((imp.source, imp.target), imp.where)
        source, target = app_of(imp.source), app_of(imp.target)
        if source and target and source != target:
            apps.setdefault(source, set()).add(target)
            where.setdefault((source, target), imp.where)
    return modules, apps, where


def _describe(graph: dict[str, set[str]], cycle: frozenset[str], where: dict[Any, str]) -> str:
    path = a_cycle(graph, cycle)
    steps = [f"{a} -> {b} ({where[(a, b)]})" for a, b in itertools.pairwise(path)]
    return "cycle: " + "; ".join(steps)


def test_no_domain_app_imports_web_or_demo() -> None:
    apps = {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()}
    assert set(DOMAIN) <= apps
    wrong = [
        f"{imp.where}: {imp.source} imports {imp.target}"
        for imp in imports()
        if (source := app_of(imp.source)) not in ASSEMBLERS | {None}
        and app_of(imp.target) in FORBIDDEN
        and source != app_of(imp.target)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("level", "allowed"), [(0, MODULE_CYCLES_ALLOWED), (1, APP_CYCLES_ALLOWED)]
)
def test_no_import_cycle_beyond_the_allow_list(
    level: int, allowed: dict[frozenset[str], str]
) -> None:
    modules, apps, where = _graphs()
    graph = (modules, apps)[level]
    found = strongly_connected(graph)
    new = [_describe(graph, c, where) for c in found if c not in allowed]
    assert not new, "import cycle(s) not in the allow-list:\n" + "\n".join(new)
    stale = [sorted(c) for c in allowed if c not in found]
    assert not stale, f"allow-list entries that are no longer a whole cycle (update them): {stale}"


def test_the_checks_see_function_level_imports() -> None:
    # DemoConfig.ready imports the demo steps inside the method.
    lazy = [i for i in imports() if i.source == "justicework.demo.apps" and "demo." in i.target]
    assert lazy, "demo.apps imports demo.violations inside a function"
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [frozenset({"a", "b", "c"})]
    assert a_cycle(graph, frozenset({"a", "b", "c"})) == ["a", "b", "c", "a"]
