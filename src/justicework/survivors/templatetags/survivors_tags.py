"""``{% neutral_title %}`` and ``{% quick_exit_url %}`` for the survivors pages."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def neutral_title() -> str:
    """The tab title of every survivors page: it says nothing of survivors or consent."""
    title: str = settings.SURVIVORS_NEUTRAL_TITLE
    return title or _("Notes")


@register.simple_tag
def quick_exit_url() -> str:
    url: str = settings.SURVIVORS_QUICK_EXIT_URL
    return url
