"""Forms of incidents: the list's filters, creating and editing one, relating two."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from justicework.violations.forms.common import (
    DateInput,
    choice_field,
    country_choices,
    fast_selects,
    model_choice_field,
    picked_number,
    violation_type_choices,
)
from justicework.violations.models import (
    Incident,
    IncidentRelation,
    Unit,
)


class IncidentFilterForm(forms.Form):
    """The incident list's search and filters (GET). Every value is validated: a bad value is
    reported against its field and ignored, never passed to the database."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    type = forms.ChoiceField(label=_("Type of act"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Perpetrator unit"), required=False, queryset=Unit.objects.none()
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Any,
        *,
        units: QuerySet[Unit],
        organisations: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        choice_field(self, "country").choices = country_choices(str(_("Any country")))
        choice_field(self, "type").choices = violation_type_choices(groups_selectable=True)
        choice_field(self, "status").choices = [("", _("Any status")), *Incident.Status.choices]
        model_choice_field(self, "unit").queryset = units
        model_choice_field(self, "unit").empty_label = str(_("Any unit"))
        choice_field(self, "organisation").choices = [("", _("Any organisation")), *organisations]
        fast_selects(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned


class IncidentForm(forms.ModelForm[Incident]):
    """Create or edit an incident. "Save as draft" relaxes validation to the title alone, so a
    documenter on a weak connection can keep partial work (see docs/violations-ui.md)."""

    # An optional first place, recorded with the incident on creation.
    place_name = forms.CharField(label=_("Place name"), required=False, max_length=200)
    subdivision = forms.CharField(
        label=_("Region (ISO 3166-2 code)"),
        required=False,
        max_length=6,
        help_text=_("For example UA-14."),
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )

    class Meta:
        model = Incident
        fields = [
            "title",
            "description",
            "country",
            "start_date",
            "end_date",
            "date_precision",
            "date_approximate",
            "context",
            "external_ref",
            "sensitivity",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, with_place: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"), required=False, choices=country_choices()
        )
        if not with_place:
            for name in ["place_name", "subdivision", "latitude", "longitude"]:
                del self.fields[name]
        if self.instance.pk and self.instance.status == Incident.Status.VERIFIED:
            # The action requires it when something changes (the error lands on this field).
            self.fields["reason"] = forms.CharField(
                label=_("Why do you change this verified incident?"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_(
                    "Saving a change returns the incident to documented, to be verified again. "
                    "The reason is kept in the audit log."
                ),
            )
        fast_selects(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The date rule is the model's: ``_post_clean`` runs ``Incident.clean`` on these fields.
        if "latitude" in self.fields:
            lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
            if (lat is None) != (lng is None):
                self.add_error(
                    "longitude" if lng is None else "latitude",
                    _("Give both latitude and longitude, or neither."),
                )
            if (lat is not None or cleaned.get("place_name")) and not cleaned.get("country"):
                self.add_error("country", _("A place needs its country."))
        return cleaned

    def incident_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}

    def given_reason(self) -> str:
        return str(self.cleaned_data.get("reason") or "")

    def place_fields(self) -> dict[str, Any] | None:
        if "place_name" not in self.fields:
            return None
        data = self.cleaned_data
        if not (data.get("place_name") or data.get("latitude") is not None):
            return None
        return {
            "country": data.get("country") or "",
            "subdivision": (data.get("subdivision") or "").upper(),
            "place_name": data.get("place_name") or "",
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
        }


class RelationForm(forms.Form):
    """Relate an incident to another one of the same organisation."""

    to_incident = forms.CharField(
        label=_("Other incident"),
        max_length=320,
        help_text=_("Its number, or type words of its title and pick it from the list."),
    )
    kind = forms.ChoiceField(label=_("This incident"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, incidents: QuerySet[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.incidents = incidents
        choice_field(self, "kind").choices = IncidentRelation.Kind.choices
        fast_selects(self)

    def clean_to_incident(self) -> Incident:
        value = (self.cleaned_data.get("to_incident") or "").strip().lstrip("#")
        number = picked_number(value)
        incident = self.incidents.filter(pk=int(number)).first() if number else None
        if incident is None:
            raise forms.ValidationError(
                _("No incident %(value)s that you can see is recorded in this organisation."),
                params={"value": value},
            )
        return incident
