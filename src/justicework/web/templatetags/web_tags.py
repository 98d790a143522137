from __future__ import annotations

from django import template

from justicework.core.countries import country_name as _country_name

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """``{{ "UA"|country_name }}`` — the country's name in the active language."""
    return _country_name(code)
