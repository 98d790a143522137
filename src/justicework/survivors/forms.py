"""Forms of the consent pages. Validation of what is decided lives in the actions; these
only turn the posted fields into their arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from justicework.core.uses import Scope
from justicework.survivors.models import Consent, InformationSheet

ANSWERS = [("", _("Not asked")), ("given", _("Given")), ("refused", _("Refused"))]


class HowForm(forms.Form):
    """How consent (or a withdrawal) was given."""

    given_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    method = forms.ChoiceField(label=_("How"), choices=Consent.Method.choices)
    recording = forms.IntegerField(
        label=_("Recording (evidence item number)"), required=False, min_value=1
    )
    language = forms.CharField(label=_("Language (code)"), max_length=16)
    interpreter = forms.CharField(label=_("Interpreter"), max_length=200, required=False)
    given_by = forms.ChoiceField(label=_("Given by"), choices=Consent.GivenBy.choices)
    guardian_relationship = forms.CharField(
        label=_("Guardian's relationship to the child"), max_length=100, required=False
    )


class ConsentForm(HowForm):
    """Each use given, refused or not asked, with an optional named service/organisation/
    forum; the information sheet shown; conditions in the survivor's words."""

    sheet = forms.ModelChoiceField(
        label=_("Information sheet shown"), queryset=InformationSheet.objects.none(), required=False
    )
    conditions = forms.CharField(
        label=_("Conditions, in the survivor's words"), widget=forms.Textarea(attrs={"rows": 3}),
        required=False, max_length=4000,
    )  # fmt: skip

    def __init__(self, *args: Any, sheets: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sheets is not None:
            self.fields["sheet"].queryset = sheets  # type: ignore[attr-defined]  # ModelChoiceField
        for scope in Scope:
            self.fields[f"use_{scope.value}"] = forms.ChoiceField(
                label=capfirst(scope.label), choices=ANSWERS, required=False
            )
            self.fields[f"for_{scope.value}"] = forms.CharField(
                label=_("For (a named service, organisation or forum; empty: any)"),
                max_length=200, required=False,
            )  # fmt: skip

    def use_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"use_{s.value}"], self[f"for_{s.value}"]) for s in Scope]

    def choices(self) -> list[tuple[str, bool, str]]:
        data = self.cleaned_data
        return [
            (s.value, data[f"use_{s.value}"] == "given", data.get(f"for_{s.value}") or "")
            for s in Scope
            if data.get(f"use_{s.value}")
        ]


class WithdrawForm(HowForm):
    """On the same page as the consent form: its fields are prefixed ("withdraw-")."""

    prefix = "withdraw"
    scope = forms.ChoiceField(label=_("Use"), choices=Scope.choices)
    qualifier = forms.CharField(label=_("For"), max_length=200, required=False)
