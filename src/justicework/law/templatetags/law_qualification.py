"""``{% qualification_link violation %}``: the link to a violation's legal qualification, shown
only to those the policy lets qualify it (the violations pages include it)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.law.rules_qualifications import QUALIFY

register = template.Library()


@register.simple_tag(takes_context=True)
def qualification_link(context: dict[str, Any], violation: Any) -> SafeString | str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if violation is None or not policy.can(user, QUALIFY, violation.organisation):
        return ""
    url = reverse("law:violation_qualification", args=[violation.pk])
    return format_html('<a href="{}">{}</a>', url, _("Legal qualification"))
