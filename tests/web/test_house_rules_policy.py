"""House rule (DESIGN 4.1): every permission is decided by the policy.

An AST walk over ``src/justicework`` finds role, capability and ``is_superuser`` checks. They
belong in ``core/policy.py``, ``core/roles.py`` and the rules modules only (``rules.py``, or
``rules_<part>.py`` where an app's rules come in parts, as law's do); everything else
asks ``policy.can`` / ``policy.require`` / ``policy.visible``. A role compared for an invariant
(not a permission) is marked on the line above with ``# house-rules: an invariant, not a
permission``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import justicework

SRC = Path(justicework.__file__).resolve().parent
ALLOWED_FILES = {"core/policy.py", "core/roles.py"}
INVARIANT = "# house-rules: an invariant, not a permission"
#: Functions that answer "does this user hold this capability / grant here?".
CAPABILITY_CALLS = {
    "has_capability_in",
    "org_ids",
    "has_grant",
    "organisation_ids_with",
    "memberships_with",
}
ROLE_ENUMS = {"Role", "Capability", "C"}


def _is_role_or_capability(node: ast.expr) -> bool:
    """``x.role``, ``x.capabilities``, ``capabilities_of(...)``, ``Role.ORG_ADMIN``,
    ``Capability.EXPORT``: the operands of a role or capability check."""
    if isinstance(node, ast.Attribute):
        if node.attr in {"role", "capabilities"}:
            return True
        if isinstance(node.value, ast.Name) and node.value.id in ROLE_ENUMS:
            return node.attr.isupper()
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name == "capabilities_of"
    return False


def _finding(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute) and node.attr == "is_superuser":
        return "is_superuser" if isinstance(node.ctx, ast.Load) else None
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in CAPABILITY_CALLS or (name == "has" and isinstance(func, ast.Attribute)):
            return f"{name}()"
    sides = [node.left, *node.comparators] if isinstance(node, ast.Compare) else []
    if any(_is_role_or_capability(side) for side in sides):
        return "role or capability comparison"
    return None


def permission_checks(source: str, name: str = "<string>") -> list[str]:
    """The role, capability and ``is_superuser`` checks in ``source`` (``name:line: what``)."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        what = _finding(node)
        if what is None:
            continue
        line = getattr(node, "lineno", 0)
        marked = any(INVARIANT in lines[n - 1] for n in (line - 1, line) if 0 < n <= len(lines))
        if not marked:
            found.append(f"{name}:{line}: {what}")
    return sorted(set(found))


def _checked_files() -> list[Path]:
    return sorted(
        path
        for path in SRC.rglob("*.py")
        if path.relative_to(SRC).as_posix() not in ALLOWED_FILES
        and not (path.name == "rules.py" or path.name.startswith("rules_"))
        and "migrations" not in path.parts
    )


def test_no_permission_check_outside_the_policy_and_the_rules_modules() -> None:
    files = _checked_files()
    assert any(p.relative_to(SRC).as_posix() == "dataio/views.py" for p in files)
    found = [
        finding
        for path in files
        for finding in permission_checks(
            path.read_text(encoding="utf-8"), path.relative_to(SRC).as_posix()
        )
    ]
    assert found == []


def test_the_walk_catches_planted_checks(tmp_path: Path) -> None:
    planted = tmp_path / "views.py"
    planted.write_text(
        "from justicework.core import policy\n"
        "from justicework.core.roles import Capability, Role\n"
        "def export(request, org):\n"
        "    if request.user.is_superuser:\n"
        "        return True\n"
        "    if not policy.has_capability_in(request.user, Capability.EXPORT, org.pk):\n"
        "        return False\n"
        "    if request.membership.role == Role.ORG_ADMIN:\n"
        "        return True\n"
        "    if Capability.IMPORT in request.membership.capabilities:\n"
        "        return True\n"
        "    if request.membership.has(Capability.EXPORT):\n"
        "        return True\n"
        "    return org.pk in policy.org_ids(request.user, Capability.EXPORT)\n",
        encoding="utf-8",
    )
    found = permission_checks(planted.read_text(encoding="utf-8"), "views.py")
    assert sorted(found) == sorted(
        [
            "views.py:4: is_superuser",
            "views.py:6: has_capability_in()",
            "views.py:8: role or capability comparison",
            "views.py:10: role or capability comparison",
            "views.py:12: has()",
            "views.py:14: org_ids()",
        ]
    )


def test_the_walk_leaves_policy_questions_and_data_alone() -> None:
    source = (
        "def f(request, org, role):\n"
        "    policy.require(request.user, 'export', org)\n"
        "    if role not in Role.values:\n"
        "        raise ValueError(role)\n"
        "    create_user(None, email='a@b.test', is_superuser=True)\n"
        "    user.is_superuser = False\n"
        "    grant(capability=Capability.IDENTITY_REVEAL)\n"
        "    # house-rules: an invariant, not a permission\n"
        "    return membership.role == Role.ORG_ADMIN\n"
    )
    assert permission_checks(source) == []
