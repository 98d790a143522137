"""Value rules shared by the grants models: texts in several UI languages, currencies, money."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Money is kept in major units with two decimals (max_digits=14 holds any programme's budget);
# exchange rates with eight decimals (max_digits=18).
#: the 2018 Financial Regulation's maximum per third party, unless a justification says more
DEFAULT_CAP = Decimal("60000.00")


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def validate_texts(value: Any) -> None:
    """A text in several languages: ``{"en": "...", "fr": "..."}``, UI language codes only."""
    if not isinstance(value, dict):
        raise ValidationError(_("Give the text as a mapping of language code to text."))
    known = language_codes()
    for code, text in value.items():
        if code not in known:
            raise ValidationError(
                _("%(code)r is not one of the languages %(known)s."),
                params={"code": code, "known": ", ".join(known)},
            )
        if not isinstance(text, str):
            raise ValidationError(_("The %(code)s text must be text."), params={"code": code})


def validate_required_texts(value: Any) -> None:
    validate_texts(value)
    if not any(str(text).strip() for text in value.values()):
        raise ValidationError(_("Give the text in at least one language."))


def text_in(texts: dict[str, str] | None, language: str | None = None) -> str:
    """The text in ``language`` (the active one by default), else English, else any."""
    if not texts:
        return ""
    wanted = (language or get_language() or "en").split("-")[0]
    for code in (wanted, "en"):
        if texts.get(code, "").strip():
            return texts[code]
    return next((text for text in texts.values() if text.strip()), "")


def validate_currency(value: str) -> None:
    if not isinstance(value, str) or pycountry.currencies.get(alpha_3=value) is None:
        raise ValidationError(
            _("%(code)r is not an ISO 4217 currency code."), params={"code": value}
        )


def validate_codes(value: Any) -> None:
    """A list of short codes (activity types, categories, legal forms), each once."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError(_("Give a list of codes."))
    if len(set(value)) != len(value):
        raise ValidationError(_("A code is listed twice."))
