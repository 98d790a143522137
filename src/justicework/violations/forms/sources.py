"""The form of a source (Admiralty-graded) and what it is linked to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.violations.forms.common import (
    DateInput,
    choice_field,
    fast_selects,
    vocabulary_choices,
)


class SourceForm(forms.Form):
    """A new source, graded on the Admiralty scale, linked to the incident or one of its acts."""

    kind = forms.ChoiceField(label=_("Type of source"))
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reliability = forms.ChoiceField(label=_("Reliability of the source"), initial="F")
    credibility = forms.ChoiceField(label=_("Credibility of the information"), initial="6")
    language = forms.CharField(
        label=_("Language"),
        required=False,
        max_length=8,
        help_text=_("An ISO 639 code, e.g. uk, ar, fr."),
    )
    date = forms.DateField(label=_("Date of the source"), required=False, widget=DateInput)
    url = forms.URLField(
        label=_("Address (open source)"), required=False, max_length=1000, assume_scheme="https"
    )
    link_to = forms.ChoiceField(label=_("Link it to"))

    def __init__(self, *args: Any, targets: list[tuple[str, str]] | None, **kwargs: Any) -> None:
        """``targets=None`` edits an existing source (its links change on their own)."""
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = vocabulary_choices("source_types")
        choice_field(self, "reliability").choices = vocabulary_choices(
            "source_reliability", blank=None
        )
        choice_field(self, "credibility").choices = vocabulary_choices(
            "information_credibility", blank=None
        )
        if targets is None:
            del self.fields["link_to"]
        else:
            choice_field(self, "link_to").choices = targets
        fast_selects(self)

    def clean_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value

    def source_fields(self) -> dict[str, Any]:
        """``create_source``'s keyword arguments from the cleaned form (after ``is_valid``)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data.get("description") or "",
            "reliability": data["reliability"],
            "credibility": data["credibility"],
            "language": (data.get("language") or "").strip().lower(),
            "date": data.get("date"),
            "url": data.get("url") or "",
        }
