"""Render the role-by-capability table of ``core.roles`` as Markdown for ``docs/roles.md``.

Run ``python -m justicework.core.roles_doc`` and paste the output between the markers in
``docs/roles.md``; ``tests/core/test_roles_doc.py`` fails when the two disagree.
"""

from __future__ import annotations

from justicework.core.roles import MFA_CAPABILITIES, ROLE_CAPABILITIES, Capability, Role

TICK = "✓"
BEGIN = "<!-- roles-table:begin -->"
END = "<!-- roles-table:end -->"


def render_table() -> str:
    roles = list(Role)
    header = "| Capability | " + " | ".join(f"`{role.value}`" for role in roles) + " |"
    rule = "|---|" + "|".join(":-:" for _ in roles) + "|"
    lines = [header, rule]
    for capability in Capability:
        label = f"`{capability.value}` {capability.label}"
        if capability in MFA_CAPABILITIES:
            label += " (MFA)"
        cells = [TICK if capability in ROLE_CAPABILITIES[role] else "" for role in roles]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(BEGIN)
    print(render_table())
    print(END)
