from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from justicework.core.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where you will use it, e.g. “analysis laptop”."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        max_days = settings.API_TOKEN_MAX_DAYS
        self.fields["expires_in_days"] = forms.IntegerField(
            label=_("Expires after (days)"),
            min_value=1,
            max_value=max_days,
            initial=min(90, max_days),
            help_text=_("At most %(max)d days.") % {"max": max_days},
        )
