"""The violations demo's fixed world (``demo.violations_data``) agrees with the rest of the
application: every act, method, outcome, unit kind and source kind is a code the models accept,
every event has a title in its conflict's language, every country a box on the map, and every
Faker locale is one the demo's Faker knows."""

from __future__ import annotations

import pycountry

from justicework.demo import coalition
from justicework.demo.violations_data import (
    BOXES,
    CONFLICTS,
    DESCRIPTIONS,
    EVENT_TYPES,
    LANGUAGE_OF_LOCALE,
    METHODS,
    OUTCOMES,
    SCRIPT_OF_LOCALE,
    SOURCE_KINDS,
    TITLES,
)
from justicework.violations import vocabularies
from justicework.violations.models import Incident, Violation


def codes(name: str) -> set[str]:
    return {term.code for term in vocabularies.get(name)}


def test_every_act_of_every_event_is_a_violation_type():
    known = codes("violation_types")
    acts = {act for acts in EVENT_TYPES.values() for act in acts}
    assert acts - known == set()
    assert set(METHODS) <= acts and set(OUTCOMES) <= acts


def test_methods_and_outcomes_are_codes_the_models_accept():
    assert {m for ms in METHODS.values() for m in ms} - codes("methods") == set()
    outcomes = {o for os in OUTCOMES.values() for o in os}
    assert outcomes - set(Violation.VictimOutcome.values) == set()


def test_unit_and_source_kinds_are_vocabulary_codes():
    kinds = {party.kind for conflict in CONFLICTS for party in conflict.parties}
    assert kinds - codes("perpetrator_types") == set()
    assert set(SOURCE_KINDS) - codes("source_types") == set()


def test_every_event_of_a_conflict_has_a_title_in_its_language():
    for conflict in CONFLICTS:
        assert conflict.language in DESCRIPTIONS
        assert "{n}" in DESCRIPTIONS[conflict.language]
        assert "{party}" in DESCRIPTIONS[conflict.language]
        for event in conflict.events:
            assert event in EVENT_TYPES, (conflict.name, event)
            assert "{place}" in TITLES[event][conflict.language], (conflict.name, event)


def test_conflicts_have_valid_contexts_and_distinct_parties():
    for conflict in CONFLICTS:
        assert conflict.context in Incident.Context.values
        names = [party.name for party in conflict.parties]
        assert len(names) == len(set(names)) >= 2
        assert all(party.sub_units for party in conflict.parties)


def test_every_country_of_a_conflict_is_real_and_has_a_box():
    for conflict in CONFLICTS:
        for country in conflict.countries:
            assert pycountry.countries.get(alpha_2=country) is not None
            assert country in BOXES, (conflict.name, country)


def test_boxes_are_well_formed_coordinates():
    for country, (south, west, north, east) in BOXES.items():
        assert -90 <= south < north <= 90, country
        assert -180 <= west < east <= 180, country


def test_every_conflict_is_documented_by_coalition_organisations():
    keys = {plan.key for plan in coalition.PLAN}
    for conflict in CONFLICTS:
        assert set(conflict.orgs) <= keys, conflict.name


def test_every_persons_locale_is_known_to_the_demos_faker():
    for conflict in CONFLICTS:
        for locale in conflict.locales:
            assert locale in coalition.LOCALES, (conflict.name, locale)
            assert locale in LANGUAGE_OF_LOCALE
    assert set(SCRIPT_OF_LOCALE) <= set(LANGUAGE_OF_LOCALE)
