"""Correcting a person's identity on the web: one form field per identity field of the schema
(:mod:`justicework.violations.identity`), lists one entry per line, entries of several parts
(a name with its script, a document with its type) as parts separated by ``|``. The form only
shapes text into the schema's input; the schema's :func:`~justicework.violations.identity.clean`
is the one rule, and its verdict is shown on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from justicework.violations import identity
from justicework.violations.forms.common import DateInput
from justicework.violations.models import Person

#: The parts of an entry of several parts, in the order a line gives them.
PARTS = {
    "names": ("name", "script", "language", "transliteration"),
    "identity_documents": ("number", "type", "country"),
}
LIST_KINDS = {"texts", "countries", "contacts", "names", "documents"}


def _label(name: str) -> Any:
    return getattr(Person._meta.get_field(name), "verbose_name", name)


def _help(field: identity.IdentityField) -> Any:
    if field.name in PARTS:
        return _("One per line: %(parts)s, separated by |.") % {
            "parts": " | ".join(PARTS[field.name])
        }
    if field.kind == "countries":
        return _("One ISO country code per line, e.g. UA.")
    if field.kind in LIST_KINDS:
        return _("One per line.")
    return ""


def _form_field(field: identity.IdentityField) -> forms.Field:
    label, help_text = _label(field.name), _help(field)
    if field.kind == "date":
        return forms.DateField(label=label, required=False, widget=DateInput)
    if field.kind == "age_range":
        return forms.CharField(
            label=label, required=False, max_length=20, help_text=_("For example 30-40, or 30.")
        )
    if field.kind in LIST_KINDS:
        return forms.CharField(
            label=label,
            required=False,
            help_text=help_text,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    return forms.CharField(label=label, required=False, max_length=field.max_length or None)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _entry(name: str, line: str) -> dict[str, str]:
    values = [part.strip() for part in line.split("|")]
    return {key: value for key, value in zip(PARTS[name], values, strict=False) if value}


def _age(text: str) -> dict[str, int | None] | None:
    text = (text or "").replace("\u2013", "-").replace(" ", "")
    if not text:
        return None
    low, _dash, high = text.partition("-")
    try:
        bounds = (int(low) if low else None, int(high) if high else None)
    except ValueError as exc:
        raise ValidationError(_("Write an age range as 30-40, or one age as 30.")) from exc
    return {"min": bounds[0], "max": bounds[1] if _dash else bounds[0]}


def to_schema(name: str, value: Any) -> Any:
    """A form value shaped as the identity schema takes it (not yet cleaned)."""
    kind = identity.BY_NAME[name].kind
    if kind == "age_range":
        return _age(value)
    if name in PARTS:
        return [_entry(name, line) for line in _lines(value)]
    if kind in LIST_KINDS:
        return _lines(value)
    return value


def to_text(name: str, value: Any) -> Any:
    """A stored value as the form shows it (the reverse of :func:`to_schema`)."""
    if value in identity.EMPTY:
        return ""
    kind = identity.BY_NAME[name].kind
    if kind == "age_range":
        low, high = value.get("min"), value.get("max")
        low_text = "" if low is None else str(low)
        high_text = "" if high is None else str(high)
        return low_text if low == high else f"{low_text}-{high_text}"
    if name in PARTS:
        return "\n".join(
            " | ".join(str(item.get(part, "")) for part in PARTS[name]).rstrip(" |")
            for item in value
        )
    if kind in LIST_KINDS:
        return "\n".join(
            "; ".join(f"{k}: {v}" for k, v in item.items()) if isinstance(item, dict) else item
            for item in value
        )
    return value


class IdentityEditForm(forms.Form):
    """Every identity field of the schema; :meth:`changes` gives the fields whose value differs
    from ``current`` (the revealed identity), already cleaned by the schema."""

    def __init__(self, *args: Any, current: dict[str, Any], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {n: to_text(n, current.get(n)) for n in identity.FIELD_NAMES})
        super().__init__(*args, **kwargs)
        self.current = current
        for field in identity.FIELDS:
            self.fields[field.name] = _form_field(field)
        self.cleaned_identity: dict[str, Any] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        given: dict[str, Any] = {}
        for name in identity.FIELD_NAMES:
            if name in self.errors:
                continue
            try:
                given[name] = to_schema(name, cleaned.get(name))
            except ValidationError as exc:
                self.add_error(name, exc)
        try:
            self.cleaned_identity = identity.clean(given)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return cleaned

    def changes(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_identity.items()
            if value != identity.clean_field(name, self.current.get(name))
        }
