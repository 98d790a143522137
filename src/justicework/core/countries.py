"""ISO 3166-1 countries named in the active UI language, for every app's forms and templates.

pycountry holds the codes and the translated catalogues; ``country_name`` and
``country_choices`` are the only ways the apps name a country on a page.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language


@lru_cache(maxsize=16)
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _active_language(language: str | None = None) -> str:
    return (language or get_language() or "en").split("-")[0]


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (default: the active UI language); the code if
    unknown."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    return _catalogue(_active_language(language)).gettext(country.name)


@lru_cache(maxsize=8)
def _sorted(language: str) -> tuple[tuple[str, str], ...]:
    named = [(str(c.alpha_2), country_name(c.alpha_2, language)) for c in pycountry.countries]
    return tuple(sorted(named, key=lambda item: item[1].casefold()))


def country_choices(blank: str | None = None) -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 codes with names in the active language, sorted by name; led by
    ``("", blank)`` when ``blank`` is given."""
    choices = list(_sorted(_active_language()))
    return [("", blank), *choices] if blank is not None else choices
