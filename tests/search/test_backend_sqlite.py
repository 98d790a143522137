"""The SQLite backend's FTS5 expression: every token quoted (no FTS5 syntax typed by a user
gets through), phrases and prefixes, a term's alternatives joined with OR (what its SQL finds:
``test_backends``)."""

from __future__ import annotations

import pytest

from justicework.search.backends.sqlite import fts_expression
from justicework.search.text import Term, parse_query


@pytest.mark.parametrize(
    "query, expected",
    [
        ("market", '"market"'),
        ("market shelling", '"market" AND "shelling"'),
        ('"central market"', '"central market"'),
        ("mark*", '"mark"*'),
        ("al-Hassan", '"al hassan"'),
        ("NEAR(a b)", '"near a" AND "b"'),
        ("a OR b", '"a" AND "or" AND "b"'),
        ("title:x", '"title x"'),
        ("^start", '"start"'),
    ],
)
def test_user_text_becomes_quoted_phrases_joined_by_and(query, expected):
    assert fts_expression(parse_query(query)) == expected


def test_a_terms_alternatives_are_or_ed_with_it_in_brackets():
    term = Term(("shelling",), alternatives=("killing_in_attack",))
    assert fts_expression([term, Term(("market",))]) == (
        '("shelling" OR "killing_in_attack") AND "market"'
    )


def test_a_double_quote_inside_a_token_is_doubled():
    assert fts_expression([Term(('say"when',))]) == '"say""when"'
