"""Forms of the support pages. Validation of what is recorded lives in the actions; these
only offer pickers (countries, kinds, languages, members) and turn the posted fields into the
actions' arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from justicework.core.countries import country_choices
from justicework.survivors.languages import language_choices
from justicework.survivors.models import Referral, ServiceKind, ServiceProvider


class ProviderFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of service"),
        required=False,
        choices=[("", _("Any kind")), *ServiceKind.choices],
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(blank=str(_("Any country")))  # type: ignore[attr-defined]  # ChoiceField
        self.fields["language"].choices = language_choices(blank=str(_("Any language")))  # type: ignore[attr-defined]  # ChoiceField


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of service"), choices=ServiceKind.choices)
    country = forms.ChoiceField(label=_("Country"))
    area = forms.CharField(label=_("Area"), max_length=200, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    accessibility = forms.CharField(
        label=_("Accessibility"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contact = forms.CharField(
        label=_("Contact"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=300, required=False)
    referral_requirements = forms.CharField(
        label=_("Referral requirements"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    shared = forms.BooleanField(label=_("Share with the whole coalition"), required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(blank="")  # type: ignore[attr-defined]  # ChoiceField
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]  # ChoiceField


def support_staff(organisation_id: int) -> Any:
    """Members who may be responsible for a referral or an action (support coordinators)."""
    from justicework.core.models import User
    from justicework.core.roles import Capability, roles_with

    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=organisation_id,
        memberships__role__in=roles_with(Capability.SURVIVOR_SUPPORT),
    ).order_by("display_name", "pk")


class ReferralForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=ServiceProvider.objects.none(), required=False,
        empty_label=_("— a kind of service, no named provider —"),
    )  # fmt: skip
    kind = forms.ChoiceField(
        label=_("Kind of service (when no provider is named)"),
        choices=[("", "—"), *ServiceKind.choices],
        required=False,
    )
    shared_items = forms.MultipleChoiceField(
        label=_("Information passed on (choose the minimum necessary)"),
        choices=Referral.Item.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the provider"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    responsible = forms.ModelChoiceField(
        label=_("Responsible"), queryset=ServiceProvider.objects.none(), required=False
    )
    follow_up_on = forms.DateField(
        label=_("Follow-up date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, providers: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["responsible"].queryset = staff  # type: ignore[attr-defined]  # ModelChoiceField


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Referral.Status.choices)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class FollowUpForm(forms.Form):
    follow_up_on = forms.DateField(
        label=_("Next follow-up"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.CharField(
        label=_("Outcome so far"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class PlanForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=ServiceKind.choices, widget=forms.CheckboxSelectMultiple,
        required=False,
    )  # fmt: skip
    needs_note = forms.CharField(
        label=_("Needs, in detail"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    next_review_on = forms.DateField(
        label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReviewForm(forms.Form):
    prefix = "review"
    next_review_on = forms.DateField(
        label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PlanActionForm(forms.Form):
    prefix = "action"
    description = forms.CharField(label=_("Agreed action"), max_length=4000)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=ServiceProvider.objects.none())
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff  # type: ignore[attr-defined]  # ModelChoiceField
