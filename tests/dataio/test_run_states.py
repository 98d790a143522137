"""``ImportRun`` changes status only through ``move_to``, along ``TRANSITIONS`` (issue 10, "One
import loop"): every allowed move works, a disallowed one raises and changes nothing, and no
code outside the method writes the status."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

from justicework.dataio.models import TRANSITIONS, IllegalTransition, ImportRun

S = ImportRun.Status
PACKAGE = Path(__file__).resolve().parents[2] / "src" / "justicework"
ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
REFUSED = [(a, b) for a, b in itertools.product(S.values, S.values) if b not in TRANSITIONS[a]]


def test_the_table_names_every_status_and_refuses_some_moves():
    assert set(TRANSITIONS) == set(S.values)
    assert all(set(targets) <= set(S.values) for targets in TRANSITIONS.values())
    assert (S.COMMITTED, S.UPLOADED) in REFUSED
    assert (S.COMMITTING, S.VALID) in REFUSED


def _run(acme, status):
    run = ImportRun.objects.create(organisation=acme, kind="testrows", file_format="csv")
    ImportRun.objects.filter(pk=run.pk).update(status=status)  # test set-up only
    run.refresh_from_db()
    return run


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_every_allowed_move_works(acme, old, new):
    run = _run(acme, old)
    assert run.move_to(new, problem="moved") is True
    assert (run.status, run.problem) == (new, "moved")
    run.refresh_from_db()
    assert (run.status, run.problem) == (new, "moved")


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_a_refused_move_raises_and_changes_nothing(acme, old, new):
    run = _run(acme, old)
    with pytest.raises(IllegalTransition, match=f"cannot go from '{old}' to '{new}'"):
        run.move_to(new, problem="moved")
    run.refresh_from_db()
    assert (run.status, run.problem) == (old, "")


@pytest.mark.django_db
def test_an_unknown_status_raises(acme):
    run = _run(acme, S.UPLOADED)
    with pytest.raises(IllegalTransition, match="unknown status 'done'"):
        run.move_to("done")
    run.refresh_from_db()
    assert run.status == S.UPLOADED


@pytest.mark.django_db
def test_a_guard_that_no_longer_holds_changes_nothing(acme):
    run = _run(acme, S.COMMITTING)
    assert run.move_to(S.FAILED, expect={"owner": "someone else"}, problem="x") is False
    run.refresh_from_db()
    assert (run.status, run.problem) == (S.COMMITTING, "")


def _status_writes(path: Path) -> list[str]:
    """``x.status = ...``, ``status=`` given to create/update calls, ``"status"`` in
    ``update_fields``: every way Django code writes a status."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets):
            found.append(f"{path.name}:{node.lineno}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            writes = {"update", "create", "get_or_create", "update_or_create", "bulk_update"}
            for kw in node.keywords:
                if node.func.attr in writes and kw.arg == "status":
                    found.append(f"{path.name}:{node.lineno}")
                if kw.arg == "update_fields" and "'status'" in ast.unparse(kw.value):
                    found.append(f"{path.name}:{node.lineno}")
    return found


def test_nothing_outside_move_to_writes_an_import_runs_status():
    models = PACKAGE / "dataio" / "models.py"
    writers = [
        p
        for p in PACKAGE.rglob("*.py")
        if "migrations" not in p.parts and "ImportRun" in p.read_text(encoding="utf-8")
    ]
    assert models in writers and len(writers) > 5
    wrong = [w for p in writers if p != models for w in _status_writes(p)]
    assert not wrong, f"ImportRun.status written outside ImportRun.move_to: {wrong}"
    tree = ast.parse(models.read_text(encoding="utf-8"))
    method = next(
        n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "move_to"
    )
    inside = {f"models.py:{n}" for n in range(method.lineno, (method.end_lineno or 0) + 1)}
    own = _status_writes(models)
    assert own and set(own) <= inside, f"status written in models.py outside move_to: {own}"


def test_the_check_sees_each_way_of_writing(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "run.status = 'x'\n"
        "ImportRun.objects.filter(pk=1).update(status='x')\n"
        "ImportRun.objects.create(status='x')\n"
        "run.save(update_fields=['status'])\n"
        "ImportRun.objects.filter(status='x')\n"
        "run.refresh_from_db(fields=['status'])\n"
    )
    assert _status_writes(sample) == [f"sample.py:{n}" for n in (1, 2, 3, 4)]
