"""Forms of violations: an act against a victim, its perpetrators, persons linked to it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from justicework.violations.forms.common import (
    PERSON_PICKER_HELP,
    UNIT_PICKER_HELP,
    DateInput,
    add_date_problems,
    choice_field,
    fast_selects,
    model_choice_field,
    resolve_person,
    resolve_unit,
    violation_type_choices,
    vocabulary_choices,
)
from justicework.violations.models import (
    DatePrecision,
    Location,
    Person,
    Unit,
    Violation,
)


class ViolationForm(forms.Form):
    """One act against one victim or group, within an incident."""

    type = forms.ChoiceField(label=_("Type of act"))
    method = forms.ChoiceField(label=_("Method"), required=False)
    start_date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DateInput,
        help_text=_("Leave the dates empty to use the incident's dates."),
    )
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput)
    date_precision = forms.ChoiceField(
        label=_("Date precision"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    date_approximate = forms.BooleanField(label=_("Approximate date"), required=False)
    location = forms.ModelChoiceField(
        label=_("Place"), required=False, queryset=Location.objects.none()
    )
    victim = forms.CharField(
        label=_("Victim"),
        required=False,
        max_length=120,
        help_text=PERSON_PICKER_HELP,
    )
    victim_age = forms.IntegerField(
        label=_("Age of the victim at the time"), required=False, min_value=0, max_value=130
    )
    victim_outcome = forms.ChoiceField(
        label=_("Status of the victim at the end"),
        choices=Violation.VictimOutcome.choices,
        initial=Violation.VictimOutcome.UNKNOWN,
    )
    unit = forms.CharField(
        label=_("Perpetrator unit"), required=False, max_length=220, help_text=UNIT_PICKER_HELP
    )
    involvement = forms.ChoiceField(label=_("Degree of involvement"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    consequences = forms.CharField(
        label=_("Consequences"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        locations: QuerySet[Location],
        persons: QuerySet[Person],
        units: QuerySet[Unit],
        edit: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "type").choices = violation_type_choices(groups_selectable=False)
        choice_field(self, "method").choices = vocabulary_choices("methods")
        choice_field(self, "involvement").choices = vocabulary_choices("involvement_degrees")
        model_choice_field(self, "location").queryset = locations
        self.persons = persons
        self.units = units
        if edit:  # the victim and the perpetrators are links, changed on their own
            for name in ["victim", "unit", "involvement"]:
                del self.fields[name]
        fast_selects(self)

    def clean_victim(self) -> Person | None:
        """A code typed by hand or picked from the look-up list, resolved among the persons
        the view passed in (the policy's visible persons of the incident's organisation): a
        select of every person would not scale to an organisation with tens of thousands."""
        value = self.cleaned_data.get("victim") or ""
        return resolve_person(value, self.persons) if value.strip() else None

    def clean_unit(self) -> Unit | None:
        value = self.cleaned_data.get("unit") or ""
        return resolve_unit(value, self.units) if value.strip() else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        add_date_problems(self, cleaned, inherits=True)
        if cleaned.get("unit") and not cleaned.get("involvement"):
            self.add_error("involvement", _("Say how the unit was involved."))
        return cleaned


class PerpetrationForm(forms.Form):
    """Attribute a violation to a unit (typed or picked from the lookup list), a person (by
    pseudonymous code) or both."""

    unit = forms.CharField(
        label=_("Perpetrator unit"),
        required=False,
        max_length=220,
        help_text=UNIT_PICKER_HELP,
    )
    person = forms.CharField(
        label=_("Perpetrator (a person, optional)"),
        required=False,
        max_length=120,
        help_text=PERSON_PICKER_HELP,
    )
    involvement = forms.ChoiceField(label=_("Degree of involvement"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], persons: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        self.persons = persons
        choice_field(self, "involvement").choices = vocabulary_choices("involvement_degrees")
        fast_selects(self)

    def clean_unit(self) -> Unit | None:
        value = self.cleaned_data.get("unit") or ""
        return resolve_unit(value, self.units) if value.strip() else None

    def clean_person(self) -> Person | None:
        value = self.cleaned_data.get("person") or ""
        return resolve_person(value, self.persons) if value.strip() else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        given = {name: (self.data.get(name) or "").strip() for name in ["unit", "person"]}
        if not any(given.values()):
            self.add_error("unit", _("Name a unit, a person or both."))
        return cleaned


class PersonLinkForm(forms.Form):
    """Link a person, by pseudonymous code, as a witness or a source of a violation."""

    ROLES = [
        ("witness", _("Witness")),
        ("source", _("Source")),
    ]
    code = forms.CharField(label=_("Person"), max_length=120, help_text=PERSON_PICKER_HELP)
    role = forms.ChoiceField(label=_("Role"), choices=ROLES)

    def __init__(self, *args: Any, persons: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons = persons
        fast_selects(self)

    def clean_code(self) -> Person:
        return resolve_person(self.cleaned_data.get("code") or "", self.persons)
