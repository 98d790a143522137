"""Forms of the violations pages.

Forms only validate and shape input; every write goes through ``violations.actions``. Choices
that depend on the user (organisations, persons, units) are passed in by the view from
``policy.visible`` querysets, so a form can never offer a record the user may not see.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from justicework.core import countries
from justicework.violations import vocabularies
from justicework.violations.dates import date_problems
from justicework.violations.models import (
    DatePrecision,
    Incident,
    IncidentRelation,
    Location,
    Person,
    Unit,
    Violation,
)

DateInput = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FastSelect(forms.Select):
    """A ``<select>`` rendered in Python. Django's template-based widget renders one template
    per ``<option>``: with ~250 countries and ~60 acts that dominated the incident list's time.
    Same markup and attributes (``id``, ``aria-describedby``, ``aria-invalid``, ``required``)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', name, flatatt(context["attrs"]))]
        for group_name, options, _index in context["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        "" if option["value"] is None else option["value"],
                        mark_safe(" selected") if option["selected"] else "",  # constant
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("</optgroup>"))  # constant
        parts.append(mark_safe("</select>"))  # constant
        return mark_safe("".join(parts))  # noqa: S308  # every part escaped above


def country_choices(blank: str = "—") -> list[tuple[str, str]]:
    """ISO 3166-1 countries named and sorted in the active UI language, after a blank."""
    return countries.country_choices(blank)


def vocabulary_choices(name: str, *, blank: str | None = "—") -> list[tuple[str, str]]:
    choices = vocabularies.get(name).choices()
    return [("", blank), *choices] if blank is not None else choices


def violation_type_choices(*, groups_selectable: bool) -> list[Any]:
    """Leaf acts grouped under their top-level grouping (``<optgroup>``). For filters the
    groupings themselves are selectable too ("any act of this group")."""
    types = vocabularies.get("violation_types")
    result: list[Any] = [("", "—")]
    for root in types.roots():
        codes = types.descendants(root.code)
        leaves = [
            (code, types.term(code).label())
            for code in codes
            if not types.term(code).extra.get("group")
        ]
        if groups_selectable:
            leaves.insert(0, (root.code, str(_("Any: %(group)s") % {"group": root.label()})))
        result.append((root.label(), leaves))
    return result


def _fast_selects(form: forms.BaseForm) -> None:
    """Swap Django's template-rendered selects for :class:`FastSelect` (call after choices
    are set)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            widget = FastSelect(attrs=field.widget.attrs)
            widget.choices = field.widget.choices
            widget.is_required = field.widget.is_required
            field.widget = widget


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


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
        _choice(self, "country").choices = country_choices(str(_("Any country")))
        _choice(self, "type").choices = violation_type_choices(groups_selectable=True)
        _choice(self, "status").choices = [("", _("Any status")), *Incident.Status.choices]
        _model_choice(self, "unit").queryset = units
        _model_choice(self, "unit").empty_label = str(_("Any unit"))
        _choice(self, "organisation").choices = [("", _("Any organisation")), *organisations]
        _fast_selects(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned


def _add_date_problems(form: forms.BaseForm, cleaned: dict[str, Any], *, inherits: bool) -> None:
    """The record's date rule (``violations.dates``), its verdict shown on the form's fields."""
    problems = date_problems(
        cleaned.get("start_date"),
        cleaned.get("end_date"),
        cleaned.get("date_precision"),
        inherits=inherits,
    )
    for field, message in problems.items():
        form.add_error(field, message)


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
        _fast_selects(self)

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
        label=_("Victim's code"),
        required=False,
        max_length=16,
        help_text=_(
            "The code of a person already recorded, e.g. P-7K2QX. Record a new person first "
            "if needed."
        ),
    )
    victim_age = forms.IntegerField(
        label=_("Age of the victim at the time"), required=False, min_value=0, max_value=130
    )
    victim_outcome = forms.ChoiceField(
        label=_("Status of the victim at the end"),
        choices=Violation.VictimOutcome.choices,
        initial=Violation.VictimOutcome.UNKNOWN,
    )
    unit = forms.ModelChoiceField(
        label=_("Perpetrator unit"), required=False, queryset=Unit.objects.none()
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
        _choice(self, "type").choices = violation_type_choices(groups_selectable=False)
        _choice(self, "method").choices = vocabulary_choices("methods")
        _choice(self, "involvement").choices = vocabulary_choices("involvement_degrees")
        _model_choice(self, "location").queryset = locations
        self.persons = persons
        _model_choice(self, "unit").queryset = units
        if edit:  # the victim and the perpetrators are links, changed on their own
            for name in ["victim", "unit", "involvement"]:
                del self.fields[name]
        _fast_selects(self)

    def clean_victim(self) -> Person | None:
        """A code typed by hand, looked up among the persons the view passed in (the policy's
        visible persons of the incident's organisation): a select of every person would not
        scale to an organisation with tens of thousands."""
        code = (self.cleaned_data.get("victim") or "").strip().upper()
        if not code:
            return None
        person = self.persons.filter(code=code).first()
        if person is None:
            raise forms.ValidationError(
                _("No person with the code %(code)s is recorded in this organisation."),
                params={"code": code},
            )
        return person

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _add_date_problems(self, cleaned, inherits=True)
        if cleaned.get("unit") and not cleaned.get("involvement"):
            self.add_error("involvement", _("Say how the unit was involved."))
        return cleaned


class PersonForm(forms.Form):
    """A new person: status and identity. Identity values are encrypted by the action and never
    shown again without an audited reveal."""

    status = forms.ChoiceField(
        label=_("Status"), choices=Person.Status.choices, initial=Person.Status.UNKNOWN
    )
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=300)
    other_names = forms.CharField(
        label=_("Other names or spellings"),
        required=False,
        max_length=1000,
        help_text=_("One per line, in any script."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    sex = forms.CharField(label=_("Sex"), required=False, max_length=50)
    gender_identity = forms.CharField(label=_("Gender identity"), required=False, max_length=100)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), required=False, max_length=100)
    religion = forms.CharField(label=_("Religion"), required=False, max_length=100)
    contact = forms.CharField(label=_("Contact"), required=False, max_length=300)
    document_number = forms.CharField(
        label=_("Identity document number"), required=False, max_length=100
    )
    confirm_new = forms.BooleanField(
        label=_("I checked the possible duplicates: this is a different person."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "nationality").choices = country_choices()
        _fast_selects(self)

    def clean_date_of_birth(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth is in the future."))
        return value

    def other_name_list(self) -> list[str]:
        raw = self.cleaned_data.get("other_names") or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]


class RevealForm(forms.Form):
    """Opening an identity is a deliberate act: the user confirms it; the action audits it."""

    confirm = forms.BooleanField(
        label=_("I need to see this identity for my work on this case."),
        help_text=_("Your name, the time and the fields opened are recorded in the audit log."),
    )


class GrantForm(forms.Form):
    """Give one member need-to-know on one person's identity (admins: ``identity.grant``)."""

    user = forms.TypedChoiceField(label=_("Member"), coerce=int)
    reason = forms.CharField(
        label=_("Why does this member need to know?"),
        max_length=300,
        help_text=_("Recorded in the audit log."),
    )
    expires_on = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=DateInput,
        help_text=_("The grant ends at the start of this day (UTC)."),
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "user").choices = members
        _fast_selects(self)

    def clean_expires_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("expires_on")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return value


# --- Linking: sources, perpetrators, persons, relations, units ------------------------------------

#: A value picked from a lookup list ends with the record's number: "3rd Brigade [#12]".
PICKED = re.compile(r"\[#(\d+)\]\s*$")


def picked_label(name: str, pk: int) -> str:
    return f"{name} [#{pk}]"


def resolve_unit(value: str, units: QuerySet[Unit]) -> Unit:
    """A unit typed by name or picked from the lookup list, among ``units`` (the policy's
    visible units of one organisation). Raises ``forms.ValidationError`` naming the reason."""
    value = value.strip()
    match = PICKED.search(value)
    if match:
        unit = units.filter(pk=int(match.group(1))).first()
    else:
        found = list(units.filter(name__iexact=value)[:2])
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several units are called %(name)s: pick one from the list."),
                params={"name": value},
            )
        unit = found[0] if found else None
    if unit is None:
        raise forms.ValidationError(
            _("No unit called %(name)s is recorded in this organisation."), params={"name": value}
        )
    return unit


def resolve_person(value: str, persons: QuerySet[Person]) -> Person:
    code = value.strip().upper()
    person = persons.filter(code=code).first()
    if person is None:
        raise forms.ValidationError(
            _("No person with the code %(code)s is recorded in this organisation."),
            params={"code": code},
        )
    return person


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
        _choice(self, "kind").choices = vocabulary_choices("source_types")
        _choice(self, "reliability").choices = vocabulary_choices("source_reliability", blank=None)
        _choice(self, "credibility").choices = vocabulary_choices(
            "information_credibility", blank=None
        )
        if targets is None:
            del self.fields["link_to"]
        else:
            _choice(self, "link_to").choices = targets
        _fast_selects(self)

    def clean_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value


class PerpetrationForm(forms.Form):
    """Attribute a violation to a unit (typed or picked from the lookup list), a person (by
    pseudonymous code) or both."""

    unit = forms.CharField(
        label=_("Perpetrator unit"),
        required=False,
        max_length=220,
        help_text=_("Type a few letters of the unit's name and pick it from the list."),
    )
    person = forms.CharField(
        label=_("Perpetrator's code (optional)"),
        required=False,
        max_length=16,
        help_text=_("The code of a person already recorded, e.g. P-7K2QX."),
    )
    involvement = forms.ChoiceField(label=_("Degree of involvement"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], persons: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        self.persons = persons
        _choice(self, "involvement").choices = vocabulary_choices("involvement_degrees")
        _fast_selects(self)

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
    code = forms.CharField(
        label=_("Person's code"),
        max_length=16,
        help_text=_("The code of a person already recorded, e.g. P-7K2QX."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLES)

    def __init__(self, *args: Any, persons: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons = persons
        _fast_selects(self)

    def clean_code(self) -> Person:
        return resolve_person(self.cleaned_data.get("code") or "", self.persons)


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
        _choice(self, "kind").choices = IncidentRelation.Kind.choices
        _fast_selects(self)

    def clean_to_incident(self) -> Incident:
        value = (self.cleaned_data.get("to_incident") or "").strip().lstrip("#")
        match = PICKED.search(value)
        number = match.group(1) if match else value
        incident = self.incidents.filter(pk=int(number)).first() if number.isdigit() else None
        if incident is None:
            raise forms.ValidationError(
                _("No incident %(value)s that you can see is recorded in this organisation."),
                params={"value": value},
            )
        return incident


class UnitForm(forms.Form):
    """A unit: name, type, the unit it is part of, country."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"))
    parent = forms.CharField(
        label=_("Part of (optional)"),
        required=False,
        max_length=220,
        help_text=_("Type a few letters of the higher unit's name and pick it from the list."),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        _choice(self, "kind").choices = vocabulary_choices("perpetrator_types")
        _choice(self, "country").choices = country_choices()
        _fast_selects(self)

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

    code = forms.CharField(
        label=_("Commander's code"),
        max_length=16,
        help_text=_("The code of a person already recorded, e.g. P-7K2QX."),
    )
    field_order = ["code", "title", "start_date", "end_date"]

    def __init__(self, *args: Any, persons: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons = persons

    def clean_code(self) -> Person:
        return resolve_person(self.cleaned_data.get("code") or "", self.persons)
