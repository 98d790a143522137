"""Forms of perpetrator units and their commanders."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from justicework.violations.forms.common import (
    PERSON_PICKER_HELP,
    SOURCE_PICKER_HELP,
    UNIT_PICKER_HELP,
    DateInput,
    choice_field,
    country_choices,
    fast_selects,
    picked_number,
    resolve_person,
    resolve_unit,
    vocabulary_choices,
)
from justicework.violations.models import (
    Person,
    Source,
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


class SubordinationForm(forms.Form):
    """A period during which the unit was part of another (a re-subordination is a new one)."""

    parent = forms.CharField(label=_("Part of"), max_length=220, help_text=UNIT_PICKER_HELP)
    valid_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    valid_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    source = forms.CharField(
        label=_("Source (optional)"), required=False, max_length=320, help_text=SOURCE_PICKER_HELP
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], sources: QuerySet[Source], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        self.sources = sources

    def clean_parent(self) -> Unit:
        return resolve_unit(self.cleaned_data.get("parent") or "", self.units)

    def clean_source(self) -> Source | None:
        value = (self.cleaned_data.get("source") or "").strip()
        if not value:
            return None
        number = picked_number(value)
        source = self.sources.filter(pk=int(number)).first() if number else None
        if source is None:
            raise forms.ValidationError(_("Pick a source of this organisation from the list."))
        return source

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end date is before the start date."))
        return cleaned
