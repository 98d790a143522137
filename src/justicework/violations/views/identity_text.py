"""An identity as text: one (label, text) row per field, the same on the revealed page, the
side-by-side comparison of possible duplicates and the correction form's starting values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format

from justicework.violations.models import Person

IDENTITY_LABELS = {
    name: getattr(Person._meta.get_field(name), "verbose_name", name)
    for name in Person.IDENTITY_FIELDS
}


def age_text(value: dict[str, Any]) -> str:
    """An age range as numbers and signs, the same in every language: 30-40 (an en dash),
    ≥ 30, ≤ 40."""
    low, high = value.get("min"), value.get("max")
    if low is not None and high is not None:
        return f"{low}\u2013{high}" if low != high else str(low)
    return f"≥ {low}" if low is not None else f"≤ {high}"


def value_text(name: str, value: Any) -> str:
    """One identity value as text ("" when empty)."""
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                parts.append(" ".join(str(v) for v in item.values() if v))
            else:
                parts.append(str(item))
        return "; ".join(parts)
    if name == "age_range" and isinstance(value, dict):
        return age_text(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v is not None)
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def identity_rows(identity: dict[str, Any]) -> list[tuple[str, str]]:
    """The revealed identity as (label, text) rows, empty fields left out."""
    rows = []
    for name in Person.IDENTITY_FIELDS:
        text = value_text(name, identity.get(name))
        if text:
            rows.append((str(IDENTITY_LABELS[name]), text))
    return rows


def compare_rows(typed: dict[str, Any], stored: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """Two identities side by side: (label, first, second, same) for every field either has;
    ``same`` compares the texts without case and surrounding spaces."""
    rows = []
    for name in Person.IDENTITY_FIELDS:
        first, second = value_text(name, typed.get(name)), value_text(name, stored.get(name))
        if first or second:
            same = bool(first) and first.casefold().strip() == second.casefold().strip()
            rows.append((str(IDENTITY_LABELS[name]), first, second, same))
    return rows
