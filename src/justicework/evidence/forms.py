"""The item page's forms: a link (kind and a picked record), a finding, a change of status, the
organisation's two-person setting, a copy to a partner organisation and a hand-over. Values are
checked again by the actions (the one rule of each fact); these forms only offer the choices the
models declare."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from justicework.core.models import Organisation
from justicework.evidence.models import Finding, Item, Link, Transfer


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


class CopyForm(forms.Form):
    """The organisations offered are those where the user may upload (``copy_targets``)."""

    # ids of their own: the item page holds several forms
    AUTO_ID = "copy-%s"
    organisation = forms.TypedChoiceField(label=_("Copy to"), coerce=int, choices=())

    def __init__(self, *args: Any, targets: Sequence[Organisation] = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", self.AUTO_ID)
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(org.pk, org.name) for org in targets]


class TransferForm(forms.Form):
    """A hand-over to an outside body; the values are cleaned by ``actions.record_transfer``
    (one rule for the form and the API), which names a bad field."""

    recipient_name = forms.CharField(label=_("Recipient"), max_length=200)
    institution = forms.CharField(
        label=_("Institution"),
        max_length=300,
        help_text=_("A court, a UN mechanism, a prosecutor's office…"),
    )
    method = forms.ChoiceField(label=_("Method"), choices=Transfer.Method.choices)
    recipient_reference = forms.CharField(
        label=_("Recipient's reference"), max_length=200, required=False
    )
    handed_over_at = forms.CharField(
        label=_("Time of hand-over"),
        max_length=40,
        help_text=_("With its offset from UTC, for example 2024-03-01T14:30+02:00."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "text"}),
    )
    note = forms.CharField(
        label=_("Note"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # ids of their own: the status form on the same page has a "note" too
        kwargs.setdefault("auto_id", "transfer-%s")
        super().__init__(*args, **kwargs)
