"""Forms of persons: a new person (checked by the identity schema), revealing an identity,
granting need-to-know.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.violations import identity
from justicework.violations.forms.common import (
    DateInput,
    choice_field,
    country_choices,
    fast_selects,
)
from justicework.violations.models import (
    Person,
)

_TEXTS = ("full_name", "date_of_birth", "sex", "gender_identity", "ethnicity", "religion")


def _length(name: str) -> int:
    return identity.BY_NAME[name].max_length


class PersonForm(forms.Form):
    """A new person: status and identity. Identity values are encrypted by the action and never
    shown again without an audited reveal. The identity is checked by the identity schema
    (:mod:`justicework.violations.identity`), as the action will check it, and its verdict is
    shown on the form's fields."""

    #: The identity field each form field fills (where the names differ).
    IDENTITY_OF = {
        "other_names": "other_names",
        "nationality": "nationalities",
        "contact": "contacts",
        "document_number": "identity_documents",
    }

    status = forms.ChoiceField(
        label=_("Status"), choices=Person.Status.choices, initial=Person.Status.UNKNOWN
    )
    full_name = forms.CharField(
        label=_("Full name"), required=False, max_length=_length("full_name")
    )
    other_names = forms.CharField(
        label=_("Other names or spellings"),
        required=False,
        max_length=1000,
        help_text=_("One per line, in any script."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    sex = forms.CharField(label=_("Sex"), required=False, max_length=_length("sex"))
    gender_identity = forms.CharField(
        label=_("Gender identity"), required=False, max_length=_length("gender_identity")
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    ethnicity = forms.CharField(
        label=_("Ethnicity"), required=False, max_length=_length("ethnicity")
    )
    religion = forms.CharField(label=_("Religion"), required=False, max_length=_length("religion"))
    contact = forms.CharField(label=_("Contact"), required=False, max_length=identity.TEXT_LENGTH)
    document_number = forms.CharField(
        label=_("Identity document number"),
        required=False,
        max_length=identity.DOCUMENT_PARTS["number"],
    )
    confirm_new = forms.BooleanField(
        label=_("I checked the possible duplicates: this is a different person."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "nationality").choices = country_choices()
        fast_selects(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        fields = {v: k for k, v in self.IDENTITY_OF.items()}
        try:
            identity.clean(self.identity_input())
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                field = fields.get(name, name)
                if field in self.fields and field not in self.errors:
                    self.add_error(field, messages)
        return cleaned

    def identity_input(self) -> dict[str, Any]:
        """The identity fields the form was given, shaped as the action takes them."""
        data = self.cleaned_data
        given: dict[str, Any] = {name: data[name] for name in _TEXTS if data.get(name)}
        if self.other_name_list():
            given["other_names"] = self.other_name_list()
        if data.get("nationality"):
            given["nationalities"] = [data["nationality"]]
        if data.get("contact"):
            given["contacts"] = [data["contact"]]
        if data.get("document_number"):
            given["identity_documents"] = [{"number": data["document_number"]}]
        return given

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
        choice_field(self, "user").choices = members
        fast_selects(self)

    def clean_expires_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("expires_on")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return value
