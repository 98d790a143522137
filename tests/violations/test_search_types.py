"""Types of act are indexed as code tokens and found by their labels in every UI language."""

from __future__ import annotations

import pytest

from justicework import search
from justicework.search.backends.postgres import tsquery_text
from justicework.search.backends.sqlite import fts_expression
from justicework.search.text import Term, parse_query
from justicework.violations import vocabularies
from justicework.violations.indexing import incident_text, type_keywords, type_token
from justicework.violations.models import Incident
from justicework.violations.queries import Filters, search_incidents

from .conftest import make_incident, make_violation


def test_type_tokens_are_unique_and_never_a_word_of_a_label() -> None:
    vocabulary = vocabularies.get("violation_types")
    tokens = [type_token(term.code) for term in vocabulary]
    assert len(set(tokens)) == len(tokens)
    label_words = {
        word
        for term in vocabulary
        for label in term.labels.values()
        for word in search.tokens(label)
    }
    assert not label_words & set(tokens)
    assert all(search.tokens(token) == [token] for token in tokens)  # one token each


def test_incident_document_holds_type_codes_not_labels(acme) -> None:
    incident = make_incident(acme, title="Night raid", description="")
    make_violation(incident, type="torture")
    text = incident_text(Incident.objects.get(pk=incident.pk))
    assert type_token("torture") in text.split()
    for label in vocabularies.get("violation_types").term("torture").labels.values():
        assert label not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("torture", {"torture"}),
        ("Пытки", {"torture"}),
        ("التعذيب", {"torture"}),
        ("tortura", {"torture"}),
        ("tortu*", {"torture"}),
        ('"indiscriminate or"', {"killing_in_attack"}),
        ('"disproportionate attack"', {"killing_in_attack"}),
        ('"attack indiscriminate"', set()),
        ("tortilla", set()),
    ],
)
def test_a_label_word_phrase_or_prefix_expands_to_the_types_holding_it(text, expected) -> None:
    [term] = parse_query(text)
    tokens = set(type_keywords(term))
    for code in expected:
        assert type_token(code) in tokens
    if not expected:
        assert tokens == set()


def test_label_words_find_incidents_through_every_search_path(cast) -> None:
    tortured = make_incident(cast.acme, title="Basement of the school", description="")
    make_violation(tortured, type="torture")
    both = make_incident(cast.acme, title="Checkpoint", description="")
    make_violation(both, type="torture")
    make_violation(both, type="rape")
    other = make_incident(cast.acme, title="Torture chamber found", description="")
    make_violation(other, type="pillage")

    def found(text: str) -> set[int]:
        return {obj.pk for obj in list(search_incidents(cast.documenter, Filters(q=text)))}

    assert found("пытки") == {tortured.pk, both.pk}
    assert found("torture") == {tortured.pk, both.pk, other.pk}  # the title word, too
    assert found("torture viol") == {both.pk}  # two labels of two acts, both required
    assert found("пытки school") == {tortured.pk}  # a label and a title word
    assert found("saqueo") == {other.pk}
    filtered = search.filter_queryset(Incident.objects.all(), "изнасилование")
    assert list(filtered.values_list("pk", flat=True)) == [both.pk]
    ranked = search.filter_queryset(Incident.objects.all(), "Пытки", rank=True)
    assert {obj.pk for obj in ranked} == {tortured.pk, both.pk}


def test_alternatives_are_quoted_and_joined_on_both_backends() -> None:
    term = Term(("tort",), prefix=True, alternatives=("xvttorture", "x'y\"z"))
    assert tsquery_text([term, Term(("school",))]) == (
        "('tort':* | 'xvttorture' | 'x''y\"z') & ('school')"
    )
    assert fts_expression([term, Term(("school",))]) == (
        '("tort"* OR "xvttorture" OR "x\'y""z") AND "school"'
    )


def test_list_with_text_and_type_filter_matches_through_the_index(cast, client) -> None:
    """With text, the act-type filter is one more index term (its type tokens, a group with
    every type below it); the list shows exactly what the violations semi-join would."""
    from allauth.mfa.models import Authenticator
    from django.urls import reverse

    tortured = make_incident(cast.acme, title="Basement of the school", description="")
    make_violation(tortured, type="torture")
    mutilated = make_incident(cast.acme, title="School yard", description="")
    make_violation(mutilated, type="mutilation")
    detained = make_incident(cast.acme, title="School gym", description="")
    make_violation(detained, type="arbitrary_detention")
    user = cast.documenter
    if user.requires_mfa:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    url = reverse("violations:incident_list")

    def titles(**params: str) -> set[str]:
        page = client.get(url, params).content.decode()
        return {i.title for i in (tortured, mutilated, detained) if i.title in page}

    assert titles(q="school", type="torture") == {"Basement of the school"}
    assert titles(q="school", type="physical_integrity") == {
        "Basement of the school",
        "School yard",
    }
    assert titles(q="gym", type="torture") == set()
    assert titles(type="liberty_security") == {"School gym"}  # no text: the semi-join


def test_list_with_text_matches_country_and_status_through_the_index(cast, client) -> None:
    """Country (the incident's or any of its places') and status filters, with text, are index
    tokens too; a status change re-indexes the incident, so the filter follows it."""
    from allauth.mfa.models import Authenticator
    from django.urls import reverse

    from justicework.violations import actions

    border = make_incident(
        cast.acme,
        title="Convoy at the border",
        country="UA",
        locations=[{"place_name": "Gori", "country": "GE"}],
    )
    inland = make_incident(cast.acme, title="Convoy inland", country="UA")
    user = cast.documenter
    if user.requires_mfa:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    url = reverse("violations:incident_list")

    def titles(**params: str) -> set[str]:
        page = client.get(url, params).content.decode()
        return {i.title for i in (border, inland) if i.title in page}

    assert titles(q="convoy", country="GE") == {"Convoy at the border"}
    assert titles(q="convoy", country="UA") == {"Convoy at the border", "Convoy inland"}
    assert titles(q="convoy", status="documented") == set()
    actions.change_incident_status(None, inland, "documented")
    assert titles(q="convoy", status="documented") == {"Convoy inland"}
    assert titles(q="convoy", status="draft") == {"Convoy at the border"}
    assert titles(status="documented") == {"Convoy inland"}  # no text: the column filter
