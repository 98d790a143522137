"""``{{ provider.language_codes|language_names }}``: languages named in the UI language."""

from __future__ import annotations

from django import template

from justicework.survivors.languages import language_name

register = template.Library()


@register.filter
def language_names(codes: list[str]) -> str:
    return ", ".join(language_name(code) for code in codes)
