"""Word forms for queries: a searched word also finds the words that start with its stem.

The index stores words as written (normalised, not stemmed: the platform is multilingual and
one stemmer per document would be wrong for most of them). The query side widens each word
instead: ``затримання`` is searched as ``затримання*`` or ``затриман*``, ``killing`` as
``killing*`` or ``kill*``, ``مدينة`` as ``مدينه*``, ``مدين*`` or ``المدين*``. The stemmers are
Snowball's (``snowballstemmer``), chosen by the word's script: English, French and Spanish for
Latin letters, Russian for Cyrillic (its endings cover the common Ukrainian ones; the tests
show Ukrainian examples), Arabic for Arabic letters.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import snowballstemmer

from justicework.search.text import Term, tokens

#: A word shorter than this is matched as written (``un``, ``of``); from this length it is a
#: prefix too (a word's start finds it).
PREFIX_FROM = 3
#: A stem shorter than this is not used (``pol*`` would find too much).
STEM_FROM = 4

_LANGUAGES = {
    "LATIN": ("english", "french", "spanish"),
    "CYRILLIC": ("russian",),
    "ARABIC": ("arabic",),
}
# Arabic: a conjunction or preposition written onto the article (و ب ف ك ل + ال) is dropped
# before the stem is taken, and the stem is also searched with the article.
_ARABIC_LEADS = ("وال", "بال", "فال", "كال", "لل")
_ARABIC_ARTICLE = "ال"


@lru_cache(maxsize=16)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


def _script(word: str) -> str:
    for char in word:
        if char.isalpha():
            return unicodedata.name(char, "").split(" ")[0]
    return ""


@lru_cache(maxsize=8192)  # keyed by searched words: bounded
def stems(word: str) -> tuple[str, ...]:
    """Normalised stems of ``word`` (as typed) in the languages of its script, other than the
    word itself, without repeats: at least :data:`STEM_FROM` letters (Arabic: one fewer, its
    roots are short)."""
    folded = word.casefold()
    whole = tokens(folded)
    if len(whole) != 1:
        return ()
    token, script = whole[0], _script(folded)
    arabic = script == "ARABIC"
    minimum = STEM_FROM - 1 if arabic else STEM_FROM
    found: list[str] = []
    for candidate in _candidates(folded, script):
        normal = tokens(candidate)
        if len(normal) != 1:
            continue
        form = normal[0]
        shorter = arabic or len(form) < len(token)
        if form != token and len(form) >= minimum and form not in found and shorter:
            found.append(form)
    return tuple(found)


def _candidates(folded: str, script: str) -> list[str]:
    """The stems of ``folded`` by each stemmer of its script (Arabic: with and without the
    article, after dropping a conjunction or preposition written onto it)."""
    result = []
    for language in _LANGUAGES.get(script, ()):
        if script != "ARABIC":
            result.append(_stemmer(language).stemWord(folded))
            continue
        leads = [lead for lead in _ARABIC_LEADS if folded.startswith(lead)]
        bases = [_ARABIC_ARTICLE + folded[len(lead) :] for lead in leads] or [folded]
        for base in bases:
            stem = _stemmer(language).stemWord(base)
            bare = stem[len(_ARABIC_ARTICLE) :] if stem.startswith(_ARABIC_ARTICLE) else stem
            result += [bare, _ARABIC_ARTICLE + bare]
    return result


def widen(terms: Sequence[Term]) -> list[Term]:
    """Each typed word of ``terms`` made a prefix (from :data:`PREFIX_FROM` letters) with its
    stems as further starts; phrases and explicit prefixes (``word*``) stay as they are."""
    widened = []
    for term in terms:
        if term.word and len(term.tokens[0]) >= PREFIX_FROM:
            term = dataclasses.replace(term, prefix=True, stems=stems(term.word))
        widened.append(term)
    return widened
