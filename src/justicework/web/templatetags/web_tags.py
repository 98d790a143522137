from __future__ import annotations

from typing import Any

from django import template

from justicework.core.countries import country_name as _country_name
from justicework.web import panels

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


@register.simple_tag(takes_context=True)
def detail_panels(context: template.Context, record: Any) -> str:
    """``{% detail_panels incident %}``: the sections other apps add to this record's page
    (``web.panels``); nothing without a request."""
    request = context.get("request")
    if request is None:
        return ""
    return panels.panels_for(request, record)
