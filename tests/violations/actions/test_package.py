"""The shape of violations/actions/: public names on the package, callers use the package."""

from __future__ import annotations

import ast
from pathlib import Path

import justicework
from justicework.violations import actions

SRC = Path(justicework.__file__).parent
PACKAGE = SRC / "violations" / "actions"


def test_every_public_name_is_on_the_package():
    missing = [name for name in actions.__all__ if not hasattr(actions, name)]
    assert missing == []
    assert {"create_incident", "bulk_create_violations", "BulkRowErrors"} <= set(actions.__all__)


def test_code_outside_the_package_imports_the_package_not_its_modules():
    """A caller that reaches into a module would escape a test's patch of ``actions.<name>``
    and tie itself to the layout inside the package."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if PACKAGE in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "justicework.violations.actions."
            ):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


def test_every_module_of_the_package_is_small_and_says_what_it_is_for():
    for path in sorted(PACKAGE.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 500, path.name
        assert ast.get_docstring(ast.parse(text)), path.name


def test_the_forms_package_re_exports_its_forms_from_small_modules():
    from justicework.violations import forms

    assert all(hasattr(forms, name) for name in forms.__all__)
    for path in sorted((SRC / "violations" / "forms").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 500, path.name
        assert ast.get_docstring(ast.parse(text)), path.name
