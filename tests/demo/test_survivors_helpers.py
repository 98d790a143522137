"""The survivors demo's helpers without the database: how consent is taken (a guardian for a
child, an interpreter unless in Ukrainian, the sheet in the language) passes the consent
action's own checks, texts are filled from the seed, and dates lie in the past."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from justicework.demo import coalition
from justicework.demo import survivors as demo
from justicework.survivors.actions.consent import _check_how
from justicework.survivors.models import Consent


def run(seed: int = 1) -> demo.Run:
    sheets = {"uk": SimpleNamespace(organisation_id=7), "en": SimpleNamespace(organisation_id=7)}
    return demo.Run(coalition.make_context(seed), None, None, None, None, sheets=sheets)  # type: ignore[arg-type]


def survivor_file(child: bool) -> SimpleNamespace:
    return SimpleNamespace(is_child=child, organisation_id=7)


@pytest.mark.parametrize("child", [False, True])
@pytest.mark.parametrize("language", ["uk", "ru", "en"])
def test_how_consent_is_taken_passes_the_consent_actions_checks(child, language):
    the_run, file = run(), survivor_file(child)
    at = timezone.now() - dt.timedelta(days=30)
    how = demo._how(the_run, file, at, language)  # type: ignore[arg-type]
    assert _check_how(None, file, how) == {}  # type: ignore[arg-type]
    assert how.given_at == at and how.language == language
    assert (how.given_by == Consent.GivenBy.GUARDIAN) is child
    assert (how.guardian_relationship == "mother") is child
    assert bool(how.interpreter) is (language != "uk")
    assert how.sheet is the_run.sheets.get(language)


def test_how_consent_is_taken_follows_the_seed():
    at = timezone.now()
    first = demo._how(run(4), survivor_file(False), at, "ru")  # type: ignore[arg-type]
    again = demo._how(run(4), survivor_file(False), at, "ru")  # type: ignore[arg-type]
    assert first == again


def test_texts_are_filled_with_names_and_places_from_the_seed():
    assert run(2).pick(demo.data.CONTACT_METHODS) == run(2).pick(demo.data.CONTACT_METHODS)
    filled = run(2).text("{name} in {city}")
    assert "{" not in filled and " in " in filled


def test_days_ago_lies_in_the_range_asked_for():
    the_run = run(3)
    for _ in range(20):
        age = the_run.now - the_run.days_ago(40, 120)
        assert dt.timedelta(days=40) <= age <= dt.timedelta(days=120, hours=3)
