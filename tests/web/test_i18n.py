"""Translations: every UI string translated in all four catalogues, and the compiled .mo files
committed and consistent with the .po sources (a fresh machine has no gettext to compile)."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.conf import settings

from tests.web.pofile import Entry, parse

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
KNOWN = {
    "fr": ("Dashboard", "Tableau de bord"),
    "es": ("Dashboard", "Panel"),
    "ru": ("Dashboard", "Панель"),
    "ar": ("Dashboard", "لوحة المعلومات"),
}
NPLURALS = {"fr": 2, "es": 3, "ru": 4, "ar": 6}


def _entries(code: str) -> list[Entry]:
    return [e for e in parse(LOCALE / code / "LC_MESSAGES" / "django.po") if e.msgid]


def test_the_five_ui_languages_are_configured() -> None:
    assert [code for code, _ in settings.LANGUAGES] == ["en", "fr", "es", "ru", "ar"]
    assert settings.LANGUAGES_BIDI == ["ar"]


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(code: str) -> None:
    entries = _entries(code)
    assert len(entries) > 100
    untranslated = [e.msgid for e in entries if not e.translated]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_plural_messages_have_every_form_of_the_language(code: str) -> None:
    plurals = [e for e in _entries(code) if e.msgid_plural is not None]
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr) == list(range(NPLURALS[code])), entry.msgid


@pytest.mark.parametrize("code", LANGUAGES)
def test_placeholders_survive_translation(code: str) -> None:
    import re

    placeholder = re.compile(r"%\([a-z_]+\)[sdr]")
    for entry in _entries(code):
        if entry.msgid_plural is not None:
            continue  # plural forms may spell out small numbers instead of %(counter)s
        wanted = sorted(set(placeholder.findall(entry.msgid)))
        assert sorted(set(placeholder.findall(entry.msgstr[0]))) == wanted, entry.msgid


@pytest.mark.parametrize("code", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(code: str) -> None:
    mo = LOCALE / code / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    source, expected = KNOWN[code]
    assert catalogue.gettext(source) == expected
    stale = []
    for entry in _entries(code):
        if entry.msgid_plural is not None:
            for n in (1, 2, 5, 11, 100):
                form = catalogue.ngettext(entry.msgid, entry.msgid_plural, n)
                if form not in entry.msgstr.values():
                    stale.append(entry.msgid)
        elif entry.msgctxt is not None:
            if catalogue.pgettext(entry.msgctxt, entry.msgid) != entry.msgstr[0]:
                stale.append(entry.msgid)
        elif catalogue.gettext(entry.msgid) != entry.msgstr[0]:
            stale.append(entry.msgid)
    assert stale == [], "run `justicework compilemessages` and commit the .mo files"
