"""``demo.violations_scale`` (benchmark data written straight into the tables): the counts
asked for, the same data for the same seed, rows that pass the models' own validation although
they skip it, records seen through the policy like any other, and one audit entry per batch."""

from __future__ import annotations

import pytest

from justicework.audit.models import AuditEntry
from justicework.core import policy
from justicework.demo import violations_scale as scale
from justicework.violations import vocabularies
from justicework.violations.models import Incident, Location, Person, Violation

pytestmark = pytest.mark.django_db


def generate(org, count=90, **options):  # type: ignore[no-untyped-def]
    return scale.generate(org, count, write=lambda _line: None, **options)


def shape(org) -> list[tuple]:  # type: ignore[no-untyped-def]
    """What was generated for ``org``, without ids or times."""
    return [
        *Incident.objects.filter(organisation=org)
        .order_by("pk")
        .values_list("title", "country", "context", "status", "start_date"),
        *Violation.objects.filter(organisation=org)
        .order_by("pk")
        .values_list("type", "method", "victim_age", "victim_outcome"),
    ]


def test_the_counts_are_those_asked_for(acme):
    lines: list[str] = []
    result = scale.generate(acme, 100, batch=40, write=lines.append)
    assert (result.violations, result.incidents, result.persons) == (100, 13 + 13 + 6, 50)
    assert Violation.objects.filter(organisation=acme).count() == 100
    assert Incident.objects.filter(organisation=acme).count() == 32
    assert Location.objects.filter(incident__organisation=acme).count() == 32
    assert lines == ["  40 / 100 violations", "  80 / 100 violations", "  100 / 100 violations"]
    assert result.rate == pytest.approx(100 / result.seconds)


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(acme, beacon, cast):
    generate(acme, seed=5)
    generate(beacon, seed=5)
    assert shape(acme) == shape(beacon)
    from tests.conftest import make_org

    third = make_org("Third Centre")
    generate(third, seed=6)
    assert shape(third) != shape(acme)


def test_the_person_pool_is_reused_and_grows_only_when_needed(acme):
    generate(acme, count=30)
    assert Person.objects.filter(organisation=acme).count() == 50
    generate(acme, count=30)
    assert Person.objects.filter(organisation=acme).count() == 50
    names = {p.full_name for p in Person.objects.filter(organisation=acme)}
    assert all(name.split()[0] in scale.FIRST and name.split()[1] in scale.LAST for name in names)


def test_generated_rows_pass_the_models_validation(acme):
    generate(acme, count=60)
    for incident in Incident.objects.filter(organisation=acme)[:10]:
        incident.full_clean()
    for violation in Violation.objects.filter(organisation=acme)[:20]:
        violation.full_clean()
    types = {t.code for t in vocabularies.get("violation_types").leaves()}
    assert set(Violation.objects.filter(organisation=acme).values_list("type", flat=True)) <= types
    countries = set(Incident.objects.filter(organisation=acme).values_list("country", flat=True))
    assert countries <= set(scale.COUNTRIES)


def test_generated_records_are_seen_through_the_policy_by_their_organisation_only(cast):
    generate(cast.acme, count=30)
    assert policy.visible(cast.documenter, Violation).count() == 30
    assert policy.visible(cast.documenter, Incident).count() == 10
    assert not policy.visible(cast.outsider, Violation).exists()
    assert not policy.visible(cast.outsider, Incident).exists()


def test_each_batch_has_one_audit_entry_with_its_id_ranges(acme):
    generate(acme, count=50, batch=30)
    entries = list(AuditEntry.objects.filter(action="violations.scale.generated").order_by("seq"))
    assert [e.diff["violations"] for e in entries] == [30, 20]
    assert [e.diff["incidents"] for e in entries] == [10, 6]
    first, last = entries[0].diff["violation_ids"]
    assert last - first == 29
    assert Violation.objects.filter(pk__range=(first, last), organisation=acme).count() == 30


def test_the_command_step_refuses_nothing_to_generate(acme):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="positive number"):
        scale.run(None, 0)
