"""Forms of perpetrator units and their commanders."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from justicework.violations.forms.common import (
    PERSON_PICKER_HELP,
    UNIT_PICKER_HELP,
    DateInput,
    choice_field,
    country_choices,
    fast_selects,
    resolve_person,
    resolve_unit,
    vocabulary_choices,
)
from justicework.violations.models import (
    Person,
    Unit,
)


class UnitForm(forms.Form):
    """A unit: name, type, the unit it is part of, country."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"))
    parent = forms.CharField(
        label=_("Part of (optional)"),
        required=False,
        max_length=220,
        help_text=UNIT_PICKER_HELP,
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        choice_field(self, "kind").choices = vocabulary_choices("perpetrator_types")
        choice_field(self, "country").choices = country_choices()
        fast_selects(self)

    def clean_parent(self) -> Unit | None:
        value = self.cleaned_data.get("parent") or ""
        return resolve_unit(value, self.units) if value.strip() else None


class CommanderEditForm(forms.Form):
    """A commander's rank or title and dates (who commanded is not edited here)."""

    title = forms.CharField(label=_("Rank or title"), required=False, max_length=120)
    start_date = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end_date = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned


class CommanderForm(CommanderEditForm):
    """A person (by code) who commanded a unit, from when to when."""

    code = forms.CharField(label=_("Commander"), max_length=120, help_text=PERSON_PICKER_HELP)
    field_order = ["code", "title", "start_date", "end_date"]

    def __init__(self, *args: Any, persons: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons = persons

    def clean_code(self) -> Person:
        return resolve_person(self.cleaned_data.get("code") or "", self.persons)
