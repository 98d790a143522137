"""The survivors demo's fixed parts (``demo.survivors_data``) agree with the survivors app:
each consent profile is coherent (a use is given or refused, never both; a withdrawn use was
given), every referral path is a walk the referral action allows, and every value is one the
models accept."""

from __future__ import annotations

from justicework.core.uses import Scope
from justicework.demo import survivors_data as data
from justicework.survivors.actions.referrals import TRANSITIONS
from justicework.survivors.models import Referral, ServiceKind
from justicework.survivors.models.interviews import Interview
from justicework.survivors.models.participation import ParticipationWish


def test_profiles_have_distinct_keys_and_known_uses():
    keys = [profile.key for profile in data.PROFILES]
    assert len(keys) == len(set(keys))
    for profile in data.PROFILES:
        uses = {*profile.given, *profile.refused, *profile.withdrawn}
        uses |= {use for use, _forum in profile.qualified}
        assert uses <= set(Scope.values), profile.key


def test_a_use_is_given_or_refused_never_both_and_only_a_given_use_is_withdrawn():
    for profile in data.PROFILES:
        assert not set(profile.given) & set(profile.refused), profile.key
        assert set(profile.withdrawn) <= set(profile.given), profile.key
        for use, forum in profile.qualified:
            assert use in profile.refused and forum, profile.key


def test_every_profile_consents_to_documentation():
    assert all(Scope.DOCUMENTATION in profile.given for profile in data.PROFILES)


def test_the_profiles_cover_refusal_withdrawal_a_qualified_use_and_a_child():
    assert any(profile.refused for profile in data.PROFILES)
    assert any(profile.withdrawn for profile in data.PROFILES)
    assert any(profile.qualified for profile in data.PROFILES)
    assert any(profile.child for profile in data.PROFILES)
    assert tuple(Scope.values) == data.EVERY_USE


def test_interview_purposes_and_taking_part_are_values_the_models_accept():
    for profile in data.PROFILES:
        assert set(profile.purposes) <= set(Interview.Purpose.values), profile.key
        assert profile.take_part in ParticipationWish.TakePart.values, profile.key
        assert profile.interviews >= 1


def test_every_referral_path_is_a_walk_the_action_allows_ending_where_it_says():
    assert set(data.REFERRAL_PATHS) == set(Referral.Status.values)
    for end, path in data.REFERRAL_PATHS.items():
        status = Referral.Status.PROPOSED
        for step in path:
            assert step in TRANSITIONS[status], (end, status, step)
            status = step
        assert status == end


def test_every_kind_of_service_has_provider_names_to_fill():
    assert set(data.PROVIDER_NAMES) == set(ServiceKind.values)
    for names in data.PROVIDER_NAMES.values():
        for name in names:
            assert "{city}" in name or "{name}" in name
            assert name.format(city="Town", name="Someone")


def test_phrases_fill_with_a_city_and_a_name_only():
    phrases = [
        *data.THREATS, *data.CONTACT_METHODS, *data.NEVER_TELL, *data.INFORMATION,
        *data.LEGAL_REPRESENTATIVES,
    ]  # fmt: skip
    for phrase in phrases:
        assert phrase.format(city="Town", name="Someone") is not None


def test_the_information_sheets_are_in_the_directorys_languages():
    assert set(data.SHEETS) == {"en", "uk"}
    assert all(title and text for title, text in data.SHEETS.values())
    assert all("en" in languages for languages in data.PROVIDER_COUNTRIES.values())
