"""``{% survivor_page_enabled as on %}``: whether the survivor page is switched on
(``JUSTICEWORK_SURVIVORS_PAGE``), so shared templates link to its codes only then."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def survivor_page_enabled() -> bool:
    return bool(settings.SURVIVORS_PAGE)
