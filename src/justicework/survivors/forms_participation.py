"""Forms of the participation page; the actions validate what is decided."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from justicework.survivors.models import (
    Forum,
    InformationGiven,
    ParticipationWish,
    VictimStatusApplication,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WishForm(forms.Form):
    take_part = forms.ChoiceField(
        label=_("Take part in justice"), choices=ParticipationWish.TakePart.choices
    )
    forums = forms.MultipleChoiceField(
        label=_("Forums"), choices=Forum.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    forum_other = forms.CharField(label=_("Other forum"), max_length=200, required=False)
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=4000, required=False
    )
    measures_requested = forms.CharField(
        label=_("Protective measures requested"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    measures_granted = forms.CharField(
        label=_("Protective measures granted"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    reparations_sought = forms.CharField(
        label=_("Reparations sought"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    reparations_received = forms.CharField(
        label=_("Reparations received"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class ApplicationForm(forms.Form):
    """A new application (``supersedes`` empty) or a new state of one."""

    prefix = "app"
    supersedes = forms.IntegerField(
        label=_("Application number (empty: a new application)"), required=False, min_value=1
    )
    forum = forms.ChoiceField(label=_("Forum"), choices=Forum.choices)
    forum_other = forms.CharField(label=_("Other forum"), max_length=200, required=False)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=VictimStatusApplication.Status.choices)
    applied_on = forms.DateField(label=_("Applied on"), required=False, widget=DATE)
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DATE)


class InformationForm(forms.Form):
    what = forms.CharField(
        label=_("What the survivor was told"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    given_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    how = forms.ChoiceField(label=_("How"), choices=InformationGiven.How.choices)
    for_survivor = forms.BooleanField(
        label=_("Show it on the survivor page"), required=False,
        help_text=_("Only if the survivor uses the page; write it in their language."),
    )  # fmt: skip
