# ruff: noqa: RUF001  # the samples are meant to hold look-alike letters
"""The fast paths of ``normalise_text`` give exactly what the plain definition gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from justicework.search.text import _TRANSLATE, normalise_text


def reference(value: str) -> str:
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_TRANSLATE)
    return unicodedata.normalize("NFKC", text).casefold()


SAMPLES = [
    "Олена Й. Шевченко",
    "Ελένη  Παπαδοπούλου",
    "أَحْمَد  الإمام  مُحَمَّد ١٢٣",
    "Łódź, Zürich – São Paulo",
    "ﬁne ﬂag ＡＢＣ ½",
    "e\u0301 \u0301x",  # a combining mark after a space
    "한국어 ᄀ ᅡ",  # Hangul jamo on either side of a space
    "",
    " lead and trail ",
]


def test_the_samples_match_the_definition():
    for sample in SAMPLES:
        assert normalise_text(sample) == reference(sample), sample


@settings(max_examples=300, derandomize=True)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_text_matches_the_definition(value):
    assert normalise_text(value) == reference(value)
