"""The published award list's one rule (``grants.publication``): only awards of decided or
archived calls, with the filters, and the identifiers the exports use."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from justicework.grants.models import Call
from justicework.grants.publication import (
    AwardFilter,
    grant_id,
    published_awards,
    published_calls,
    published_countries,
    published_years,
    recipient_id,
)
from tests.grants.conftest import make_applicant, make_call
from tests.grants.publication.conftest import make_award

pytestmark = pytest.mark.django_db


def ids(awards: Any) -> set[int]:
    return {award.pk for award in awards}


def test_only_awards_of_decided_or_archived_calls_are_published(world: SimpleNamespace) -> None:
    a = world.awards
    assert ids(published_awards()) == {a.kyiv.pk, a.tbilisi.pk, a.goma.pk, a.beacon.pk}


@pytest.mark.parametrize(
    "status",
    [
        Call.Status.DRAFT,
        Call.Status.PUBLISHED,
        Call.Status.CLOSED,
        Call.Status.UNDER_REVIEW,
    ],
)
def test_an_award_of_a_call_not_decided_is_never_published(programme: Any, status: str) -> None:
    call = make_call(programme, status=status)
    award = make_award(call, make_applicant("Odesa Rights Lab").entity)
    assert award.pk not in ids(published_awards())
    assert award.pk not in ids(published_awards(AwardFilter(call=call.reference)))


def test_an_award_appears_when_its_call_is_decided(world: SimpleNamespace) -> None:
    hidden = world.awards.hidden
    assert hidden.pk not in ids(published_awards())
    Call.objects.filter(pk=world.calls.review.pk).update(status=Call.Status.DECIDED)
    assert hidden.pk in ids(published_awards())


def test_filters_by_call_country_and_year(world: SimpleNamespace) -> None:
    a = world.awards
    assert ids(published_awards(AwardFilter(call="FSTP-2025-1"))) == {a.kyiv.pk, a.tbilisi.pk}
    assert ids(published_awards(AwardFilter(country="cd"))) == {a.goma.pk, a.beacon.pk}
    assert ids(published_awards(AwardFilter(year=2024))) == {a.goma.pk}
    both = AwardFilter(call="FSTP-2025-1", country="GE", year=2025)
    assert ids(published_awards(both)) == {a.tbilisi.pk}
    assert ids(published_awards(AwardFilter(call="FSTP-2025-2"))) == set()


def test_the_filter_choices_list_only_what_is_published(world: SimpleNamespace) -> None:
    assert {c.reference for c in published_calls()} == {"FSTP-2025-1", "FSTP-2024-1", "BJC-2025"}
    assert published_countries() == ["CD", "GE", "UA"]
    assert published_years() == [2025, 2024]


def test_the_published_list_is_one_query_whatever_its_length(
    world: SimpleNamespace, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        rows = [
            (a.call.reference, a.programme.organisation.name, a.legal_entity.legal_name)
            for a in published_awards()
        ]
    assert len(rows) == 4


def test_grant_ids_carry_the_publisher_prefix_and_are_unique(world: SimpleNamespace) -> None:
    found = [grant_id(award) for award in published_awards()]
    assert len(set(found)) == len(found)
    assert grant_id(world.awards.kyiv) == f"360G-acme-FSTP-2025-1-{world.awards.kyiv.pk}"


def test_recipient_ids_use_the_configured_register_else_the_publisher_prefix(
    world: SimpleNamespace,
) -> None:
    # Ukraine's register is configured (org-id.guide UA-EDR); the number is normalised as for
    # the entity's de-duplicating key, so the same organisation keeps its id across calls
    assert recipient_id(world.applicants.kyiv.entity) == "UA-EDR-12345678"
    assert recipient_id(world.applicants.tbilisi.entity) == "360G-acme-GE-404555"
    assert recipient_id(world.applicants.goma.entity) == "360G-acme-CD-CDGOM201977"


def test_recipient_ids_follow_the_setting(world: SimpleNamespace, settings: Any) -> None:
    settings.GRANTS_ORG_ID_LISTS = ["GE=GE-NAPR"]
    assert recipient_id(world.applicants.tbilisi.entity) == "GE-NAPR-404555"
    assert recipient_id(world.applicants.kyiv.entity) == "360G-acme-UA-12345678"
