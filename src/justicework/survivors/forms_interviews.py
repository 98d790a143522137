"""The interview form; what is valid is decided by ``actions.interviews``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from justicework.survivors.models import Interview
from justicework.survivors.models.interviews import Gender

NARRATIVE = {"rows": 8}


class InterviewForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("Held on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes declared to the person"),
        choices=Interview.Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    interviewer_gender = forms.ChoiceField(label=_("Your gender"), choices=Gender.choices)
    preferred_gender = forms.ChoiceField(
        label=_("Interviewer the person preferred"), choices=Interview.Preference.choices
    )
    interpreter = forms.CharField(label=_("Interpreter"), max_length=200, required=False)
    interpreter_gender = forms.ChoiceField(
        label=_("Interpreter's gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    place = forms.ChoiceField(label=_("Kind of place"), choices=Interview.Place.choices)
    support_person_present = forms.BooleanField(label=_("Support person present"), required=False)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1)
    breaks = forms.IntegerField(label=_("Breaks"), min_value=0, initial=0)
    first_aid_given = forms.BooleanField(label=_("Psychological first aid given"), required=False)
    referral_offered = forms.BooleanField(label=_("Referral offered"), required=False)
    repeat_reason = forms.CharField(
        label=_("Why this interview adds value"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    narrative = forms.CharField(
        label=_("Narrative"), widget=forms.Textarea(attrs=NARRATIVE), required=False
    )
    sexual_violence_narrative = forms.CharField(
        label=_("Questions and answers on sexual violence (only with that purpose declared)"),
        widget=forms.Textarea(attrs=NARRATIVE),
        required=False,
    )
