"""``{% may_package_evidence case as name %}``: whether the reader may package evidence in the
case's organisation (the matrix page offers the case's evidence package only then)."""

from __future__ import annotations

from typing import Any

from django import template

from justicework.core import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def may_package_evidence(context: dict[str, Any], case: Any) -> bool:
    user = getattr(context.get("request"), "user", None)
    return case is not None and bool(policy.can(user, "evidence.package", case.organisation))
