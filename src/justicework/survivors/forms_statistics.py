"""The statistical data form of a survivor file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from justicework.survivors.models.statistics import AgeGroup, GenderIdentity, Sex


class StatisticsForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    gender_identity = forms.ChoiceField(label=_("Gender identity"), choices=GenderIdentity.choices)
    age_group_then = forms.ChoiceField(
        label=_("Age group at the violation"), choices=AgeGroup.choices
    )
    age_group_now = forms.ChoiceField(label=_("Age group now"), choices=AgeGroup.choices)
    country = forms.CharField(label=_("Country (two letters)"), max_length=2, required=False)
