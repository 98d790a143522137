"""Forms of the web shell: they validate input; the writes happen in core.actions."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from justicework.core.models import Organisation
from justicework.core.roles import Role


@lru_cache(maxsize=16)
def _country_catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in the active UI language (pycountry's ISO 3166 catalogues)."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    lang = (language or get_language() or "en").split("-")[0]
    return _country_catalogue(lang).gettext(country.name)


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 codes with names in the active language, sorted by name."""
    choices = [(c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries]
    return sorted(choices, key=lambda item: item[1].casefold())


class OrganisationCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the name if left empty."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    countries = forms.MultipleChoiceField(
        label=_("Countries of work"),
        choices=country_choices,
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )


class OrganisationEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    countries = forms.MultipleChoiceField(
        label=_("Countries of work"),
        choices=country_choices,
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=150,
        required=False,
        help_text=_("Used only when the person has no account yet."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
