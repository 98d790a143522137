"""Cell parsers: text in, a Python value out, or ``ValueError`` with a reason a person can act on.

Domain schemas build their fields from these. A parser receives the cell text already stripped;
an empty cell never reaches a parser (the engine handles required and optional fields).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from django.utils.translation import gettext as _

from justicework.encryption.fields import normalise

Parser = Callable[[str], Any]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def text(max_length: int | None = None) -> Parser:
    def parse(value: str) -> str:
        if max_length is not None and len(value) > max_length:
            raise ValueError(
                _("is %(n)s characters long; at most %(max)s are allowed.")
                % {"n": len(value), "max": max_length}
            )
        return value

    return parse


def date(formats: tuple[str, ...] = ()) -> Parser:
    """ISO dates (``2024-03-01``, also the date part of an ISO date-time) and any of ``formats``
    (``strptime`` patterns such as ``%d/%m/%Y``)."""

    def parse(value: str) -> dt.date:
        if _ISO_DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(_("%(v)r is not a real date.") % {"v": value}) from None
        if _ISO_DATETIME.match(value):
            try:
                return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
            except ValueError:
                pass
        for pattern in formats:
            try:
                return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date only
            except ValueError:
                continue
        expected = ", ".join(["YYYY-MM-DD", *formats])
        raise ValueError(_("%(v)r is not a date (expected %(f)s).") % {"v": value, "f": expected})

    return parse


def datetime(formats: tuple[str, ...] = ()) -> Parser:
    def parse(value: str) -> dt.datetime:
        parsed: dt.datetime | None
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
            for pattern in formats:
                try:
                    parsed = dt.datetime.strptime(value, pattern)  # noqa: DTZ007 - made aware below
                    break
                except ValueError:
                    continue
            if parsed is None:
                raise ValueError(
                    _("%(v)r is not a date and time (expected ISO 8601).") % {"v": value}
                ) from None
        assert parsed is not None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed

    return parse


def integer(minimum: int | None = None, maximum: int | None = None) -> Parser:
    def parse(value: str) -> int:
        try:
            number = int(value.replace("\u00a0", "").replace(" ", ""))
        except ValueError:
            try:
                decimal = Decimal(value)
            except InvalidOperation:
                raise ValueError(_("%(v)r is not a whole number.") % {"v": value}) from None
            if not decimal.is_finite() or decimal != decimal.to_integral_value():
                raise ValueError(_("%(v)r is not a whole number.") % {"v": value}) from None
            number = int(decimal)
        if minimum is not None and number < minimum:
            raise ValueError(_("%(v)s is below the minimum %(m)s.") % {"v": number, "m": minimum})
        if maximum is not None and number > maximum:
            raise ValueError(_("%(v)s is above the maximum %(m)s.") % {"v": number, "m": maximum})
        return number

    return parse


def decimal_number(minimum: float | None = None, maximum: float | None = None) -> Parser:
    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise ValueError(_("%(v)r is not a number.") % {"v": value}) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(_("%(v)r is not a number.") % {"v": value})
        if minimum is not None and number < minimum:
            raise ValueError(_("%(v)s is below the minimum %(m)s.") % {"v": number, "m": minimum})
        if maximum is not None and number > maximum:
            raise ValueError(_("%(v)s is above the maximum %(m)s.") % {"v": number, "m": maximum})
        return number

    return parse


_TRUE = {"1", "true", "yes", "y", "oui", "si", "sí", "да"}
_FALSE = {"0", "false", "no", "n", "non", "нет"}


def boolean() -> Parser:
    def parse(value: str) -> bool:
        folded = value.casefold()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        raise ValueError(_("%(v)r is not yes or no.") % {"v": value})

    return parse


def choice(terms: Mapping[str, Any], *, what: str = "") -> Parser:
    """A term of a controlled vocabulary. ``terms`` maps accepted spellings (codes, labels in
    any language) to the stored value; matching ignores case, accents and spacing. An unknown
    value is refused with the nearest terms (any spelling) as suggestions."""
    lookup = {fold(k): v for k, v in terms.items()}
    codes = sorted({str(v) for v in terms.values()})

    def parse(value: str) -> Any:
        found = lookup.get(fold(value))
        if found is None:
            nearest = _nearest(fold(value), lookup)
            what_ = what or _("vocabulary")
            if nearest:
                raise ValueError(
                    _("%(v)r is not a known %(what)s term. Did you mean: %(nearest)s?")
                    % {"v": value, "what": what_, "nearest": ", ".join(nearest)}
                )
            shown = ", ".join(codes[:12]) + (" …" if len(codes) > 12 else "")
            raise ValueError(
                _("%(v)r is not a known %(what)s term (known: %(codes)s).")
                % {"v": value, "what": what_, "codes": shown}
            )
        return found

    return parse


def fold(value: str) -> str:
    """A spelling as vocabularies compare it: case, accents, spacing and underscores ignored
    ("use of lethal force" is ``use_of_lethal_force``)."""
    return normalise(value.replace("_", " "))


def nearest(folded: str, lookup: Mapping[str, Any], limit: int = 3) -> list[str]:
    """The stored values of the spellings closest to ``folded`` (difflib's ratio, or a
    spelling that contains it or is contained in it), best first, without repeats."""
    close = difflib.get_close_matches(folded, list(lookup), n=limit * 3, cutoff=0.6)
    if len(folded) >= 4:
        close += [k for k in lookup if folded in k or (len(k) >= 4 and k in folded)]
    found: list[str] = []
    for key in close:
        code = str(lookup[key])
        if code not in found:
            found.append(code)
    return found[:limit]


_nearest = nearest


def country() -> Parser:
    """An ISO 3166-1 alpha-2 code, alpha-3 code or English country name → alpha-2."""

    def parse(value: str) -> str:
        found = None
        if len(value) == 2:
            found = pycountry.countries.get(alpha_2=value.upper())
        elif len(value) == 3:
            found = pycountry.countries.get(alpha_3=value.upper())
        if found is None:
            try:
                found = pycountry.countries.lookup(value)
            except LookupError:
                found = None
        if found is None:
            raise ValueError(
                _("%(v)r is not a country (use an ISO code such as UA).") % {"v": value}
            )
        return str(found.alpha_2)

    return parse


def many(inner: Parser, separator: str | None = None) -> Parser:
    """Several values in one cell (Kobo select_multiple: space-separated)."""

    def parse(value: str) -> list[Any]:
        parts = value.split(separator) if separator else value.split()
        return [inner(p.strip()) for p in parts if p.strip()]

    return parse
