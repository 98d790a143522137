"""Languages (ISO 639-1) named in the active UI language, for pickers: a provider's
languages and the directory's language filter."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language


@lru_cache(maxsize=16)
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _active() -> str:
    return (get_language() or "en").split("-")[0]


@lru_cache(maxsize=1)
def codes() -> frozenset[str]:
    return frozenset(str(lang.alpha_2) for lang in pycountry.languages if hasattr(lang, "alpha_2"))


def language_name(code: str) -> str:
    found = pycountry.languages.get(alpha_2=code)
    return _catalogue(_active()).gettext(found.name) if found is not None else code


@lru_cache(maxsize=8)
def _sorted(language: str) -> tuple[tuple[str, str], ...]:
    named = [(code, language_name(code)) for code in codes()]
    return tuple(sorted(named, key=lambda item: item[1].casefold()))


def language_choices(blank: str | None = None) -> list[tuple[str, str]]:
    """ISO 639-1 codes with their names, sorted by name; led by ``("", blank)`` if given."""
    choices = list(_sorted(_active()))
    return [("", blank), *choices] if blank is not None else choices
