"""The forms of the award and report pages. Pickers list the award's own tranches and reports
(nothing is typed as an id); the actions validate again and their errors name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from justicework.grants.models import GranteeReport, Tranche

DATE = forms.DateInput(attrs={"type": "date"})


def form_error(form: forms.Form) -> ValidationError:
    return ValidationError({name: list(errors) for name, errors in form.errors.items()})


def error_text(exc: ValidationError) -> str:
    """One line per field: "field: message"."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    return " ".join(
        f"{name}: {' '.join(ValidationError(errors).messages)}"
        for name, errors in exc.error_dict.items()
    )


class TrancheForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0)
    condition = forms.ChoiceField(label=_("Paid"), choices=Tranche.Condition.choices)
    report = forms.ModelChoiceField(
        label=_("Report"), queryset=GranteeReport.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("Date"), required=False, widget=DATE)

    def __init__(self, *args: Any, reports: list[GranteeReport], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["report"]
        field.queryset = GranteeReport.objects.filter(pk__in=[r.pk for r in reports])
        field.label_from_instance = lambda r: f"{r.title} ({r.due_on.isoformat()})"


class PaymentForm(forms.Form):
    tranche = forms.ChoiceField(label=_("Tranche"), required=False)
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0)
    date = forms.DateField(label=_("Paid on"), widget=DATE)
    reference = forms.CharField(label=_("Transfer reference"), max_length=120)

    def __init__(self, *args: Any, tranches: list[Tranche], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("Not a tranche"))]
        choices += [(str(t.pk), f"{t.order}: {t.amount}") for t in tranches]
        self.fields["tranche"].choices = choices  # type: ignore[attr-defined]  # a ChoiceField


class MovementForm(forms.Form):
    """A reduction or a recovery."""

    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0)
    date = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=GranteeReport.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class SignedForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments to the grantee"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
