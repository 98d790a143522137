"""A searched word finds the words that start with it and with its stem, in the five UI
languages and Ukrainian, on both engines (the documents are stored as written; only the query
is widened): "затриман" finds "затримання", "killing" finds "killed", "مدينة" finds
"المدينة". Phrases and very short words stay exact."""

from __future__ import annotations

from typing import Any

import pytest

from justicework.search.stems import stems, widen
from justicework.search.text import parse_query
from justicework.violations import actions
from justicework.violations.queries import Filters, search_incidents

pytestmark = pytest.mark.django_db

TITLES = [
    "Затримання активістів в Херсоні",  # Ukrainian
    "Задержанные журналисты в Мелитополе",  # Russian
    "Civilians killed at the checkpoint",  # English
    "Arrestation arbitraire d'un avocat",  # French
    "Asesinato de un defensor ambiental",  # Spanish
    "قصف المستشفى في المدينة",  # Arabic
    "Of war and peace",
]


@pytest.fixture
def titles(cast: Any) -> dict[str, int]:
    return {
        title: actions.create_incident(None, cast.acme, title=title, date_precision="unknown").pk
        for title in TITLES
    }


def found(user: Any, text: str) -> set[str]:
    return set(search_incidents(user, Filters(q=text)).values_list("title", flat=True))


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("затриман", TITLES[0]),  # a word's start
        ("затриманий", TITLES[0]),  # another form of the same word (stem затриман)
        ("задержания", TITLES[1]),  # Russian: the noun finds the participle
        ("killing", TITLES[2]),  # kill* finds killed
        ("civilian", TITLES[2]),
        ("arrestations", TITLES[3]),  # French plural finds the singular
        ("asesinatos", TITLES[4]),  # Spanish plural finds the singular
        ("مدينة", TITLES[5]),  # without the article, teh marbuta
        ("بالمستشفى", TITLES[5]),  # with a preposition on the article
    ],
)
def test_a_word_finds_other_forms_of_itself(titles: Any, cast: Any, query: str, title: str) -> None:
    assert title in found(cast.documenter, query)


def test_phrases_and_short_words_stay_exact(titles: Any, cast: Any) -> None:
    assert found(cast.documenter, '"civilians killed"') == {TITLES[2]}
    assert found(cast.documenter, '"civilian killed"') == set()  # a phrase is as written
    assert found(cast.documenter, "of") == {TITLES[6]}
    assert found(cast.documenter, "wa") == set()  # two letters: not a start of "war"
    assert found(cast.documenter, "war") == {TITLES[6]}


def test_widening_never_finds_another_organisations_incidents(titles: Any, cast: Any) -> None:
    assert found(cast.beacon_admin, "затриман") == set()


def test_stems_are_shorter_starts_by_the_words_script() -> None:
    assert stems("затримання") == ("затриман",)
    assert stems("killing") == ("kill",)
    assert "arrest" in stems("arrestations")
    assert stems("Kharkiv") == ()  # nothing to strip
    assert stems("of") == () and stems("2023") == ()
    assert stems("two words") == ()


def test_widen_makes_typed_words_prefixes_and_leaves_the_rest() -> None:
    terms = widen(parse_query('killing "shot dead" tortu* ab'))
    killing, phrase, explicit, short = terms
    assert (killing.prefix, killing.stems) == (True, ("kill",))
    assert (phrase.prefix, phrase.stems) == (False, ())
    assert (explicit.prefix, explicit.stems) == (True, ())
    assert (short.prefix, short.stems) == (False, ())
