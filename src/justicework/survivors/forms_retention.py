"""Forms of the retention pages: a schedule per record type, a legal hold."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from justicework.survivors import retention_types
from justicework.survivors.models import RetentionSchedule


def _event_choices() -> list[tuple[Any, list[tuple[str, Any]]]]:
    """Grouped by record type: several types share an event's name ("recorded")."""
    return [
        (
            record_type.label,
            [(event, label) for event, (label, _f) in record_type.start_events.items()],
        )
        for record_type in retention_types.record_types().values()
    ]


class ScheduleForm(forms.Form):
    record_type = forms.ChoiceField(label=_("Record type"))
    start_event = forms.ChoiceField(label=_("Period runs from"))
    period_days = forms.IntegerField(label=_("Period (days)"), min_value=1, max_value=36500)
    action = forms.ChoiceField(label=_("Then"), choices=RetentionSchedule.Action.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = retention_types.record_types().values()
        self.fields["record_type"].choices = [(t.name, t.label) for t in types]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["start_event"].choices = _event_choices()  # type: ignore[attr-defined]  # a ChoiceField


class HoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (e.g. the case reference)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    ends_on = forms.DateField(
        label=_("Ends on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
