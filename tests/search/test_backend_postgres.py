"""The PostgreSQL backend's ``to_tsquery`` text: quoted lexemes, phrases, prefixes,
alternatives; no syntax typed by a user gets through (what its SQL finds: ``test_backends``)."""

from __future__ import annotations

import pytest

from justicework.search.backends.postgres import tsquery_text
from justicework.search.text import Term, parse_query


@pytest.mark.parametrize(
    "query, expected",
    [
        ("market", "('market')"),
        ("market shelling", "('market') & ('shelling')"),
        ('"central market"', "('central' <-> 'market')"),
        ("mark*", "('mark':*)"),
        ('"central mark"*', "('central' <-> 'mark':*)"),
        ("al-Hassan", "('al' <-> 'hassan')"),
        ("Ёлка", "('елка')"),
    ],
)
def test_user_text_becomes_quoted_lexemes_phrases_and_prefixes(query, expected):
    assert tsquery_text(parse_query(query)) == expected


def test_a_terms_alternatives_are_or_ed_with_it():
    term = Term(("shelling",), alternatives=("killing_in_attack", "attack"))
    assert tsquery_text([term]) == "('shelling' | 'killing_in_attack' | 'attack')"


@pytest.mark.parametrize("token, quoted", [("o'brien", "'o''brien'"), ("a\\b", "'a\\\\b'")])
def test_quotes_and_backslashes_in_a_lexeme_are_escaped(token, quoted):
    assert tsquery_text([Term((token,))]) == f"({quoted})"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a & b", "('a') & ('b')"),
        ("a | b", "('a') & ('b')"),
        ("!x", "('x')"),
        ("(a", "('a')"),
        ("x:A", "('x' <-> 'a')"),
        ("a <-> b", "('a') & ('b')"),
    ],
)
def test_tsquery_operators_typed_by_a_user_are_only_word_separators(text, expected):
    assert tsquery_text(parse_query(text)) == expected
