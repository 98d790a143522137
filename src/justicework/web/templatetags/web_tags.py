from __future__ import annotations

from typing import Any

from django import template

from justicework.core.countries import country_name as _country_name

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """``{{ "UA"|country_name }}`` — the country's name in the active language."""
    return _country_name(code)


@register.filter
def pairs(mapping: Any) -> list[tuple[Any, Any]]:
    """``{% for key, value in diff|pairs %}``: a dict's items even when one of its keys is
    "items" (``diff.items`` would look that key up instead of calling the method)."""
    return list(mapping.items()) if isinstance(mapping, dict) else []
