"""The safety assessment form; what is valid is decided by ``actions.safety``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

TEXT = {"rows": 3}


class SafetyForm(forms.Form):
    threats = forms.CharField(
        label=_("Known threats"), widget=forms.Textarea(attrs=TEXT), required=False
    )
    contact_methods = forms.CharField(
        label=_("Safe contact methods"), widget=forms.Textarea(attrs=TEXT)
    )
    contact_times = forms.CharField(
        label=_("Safe times to contact"), widget=forms.Textarea(attrs=TEXT), required=False
    )
    never_tell = forms.CharField(
        label=_("People who must never be told"),
        widget=forms.Textarea(attrs=TEXT),
        required=False,
    )
    code_word = forms.CharField(label=_("Code word"), max_length=100, required=False)
    review_on = forms.DateField(
        label=_("Review by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
