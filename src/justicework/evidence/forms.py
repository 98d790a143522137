"""The item page's forms: a link (kind and a picked record), a finding, a change of status, and
the organisation's two-person setting. Values are checked again by the actions (the one rule of
each fact); these forms only offer the choices the models declare."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from justicework.evidence.models import Finding, Item, Link


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Link to"), choices=Link.Kind.choices)
    target = forms.CharField(
        label=_("Record"),
        max_length=300,
        help_text=_(
            "Type an incident's title or reference, a violation's incident, a person's code or "
            "a source's title, then pick it from the list."
        ),
    )


class FindingForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Finding.Level.choices)
    confidence = forms.ChoiceField(label=_("Confidence"), choices=Finding.Confidence.choices)
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 4}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Item.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=5000)


class VaultSettingsForm(forms.Form):
    two_person_verification = forms.BooleanField(
        label=_("Two-person verification"),
        required=False,
        help_text=_(
            "When on, whoever marks an item verified must not have written any of its findings, "
            "and a finding by someone else is needed."
        ),
    )
