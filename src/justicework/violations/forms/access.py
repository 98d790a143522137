"""Forms of identity access: asking for need-to-know, deciding a request, granting a set of
persons in one decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.violations.forms.common import DateInput, choice_field, fast_selects


def default_expiry() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=settings.NEED_TO_KNOW_DEFAULT_DAYS)


def _after_today(value: dt.date | None) -> dt.date | None:
    if value is not None and value <= timezone.localdate():
        raise forms.ValidationError(_("Choose a day after today."))
    return value


class AccessRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see this identity?"),
        max_length=300,
        help_text=_("The organisation's admins and support coordinators read it and decide."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    DECISIONS = [("approve", _("Approve")), ("refuse", _("Refuse"))]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    expires_on = forms.DateField(
        label=_("Grant until"),
        required=False,
        widget=DateInput,
        help_text=_("For an approval. The grant ends at the start of this day (UTC)."),
    )
    note = forms.CharField(
        label=_("Note to the requester"),
        required=False,
        max_length=300,
        help_text=_("Required for a refusal: say why."),
    )

    def clean_expires_on(self) -> dt.date | None:
        return _after_today(self.cleaned_data.get("expires_on"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "approve" and not cleaned.get("expires_on"):
            self.add_error("expires_on", _("Choose until when the grant holds."))
        if cleaned.get("decision") == "refuse" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say why the request is refused."))
        return cleaned


class GrantSetForm(forms.Form):
    """Need-to-know on every person of a selection, for one member, in one decision."""

    run = forms.TypedChoiceField(
        label=_("Persons of an import"), required=False, coerce=int, empty_value=None
    )
    user = forms.TypedChoiceField(label=_("Member"), coerce=int)
    reason = forms.CharField(
        label=_("Why does this member need to know?"),
        max_length=300,
        help_text=_("Recorded in the audit log and on every grant."),
    )
    expires_on = forms.DateField(
        label=_("Until"), widget=DateInput, help_text=_("The grants end at the start of this day.")
    )
    confirm = forms.BooleanField(
        label=_("I checked the number of persons: grant need-to-know on all of them."),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        runs: list[tuple[int, str]],
        members: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "run").choices = [("", "—"), *runs]
        choice_field(self, "user").choices = members
        fast_selects(self)

    def clean_expires_on(self) -> dt.date | None:
        return _after_today(self.cleaned_data.get("expires_on"))
