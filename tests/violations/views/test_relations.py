"""Relations between incidents: who may open, add and remove them, what a bad choice says, and
a constant number of queries."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.violations import actions
from justicework.violations.models import IncidentRelation

from ..conftest import make_incident
from .conftest import Login, text, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(cast: SimpleNamespace) -> SimpleNamespace:
    siege = make_incident(cast.acme, title="Siege of the town")
    shelling = make_incident(cast.acme, title="Shelling of the hospital")
    return SimpleNamespace(siege=siege, shelling=shelling)


def test_viewer_and_outsider_cannot_open_the_relations_page(
    login: Login, cast: SimpleNamespace, pair: SimpleNamespace
) -> None:
    target = url("incident_relations", pair.siege.pk)
    assert login(cast.viewer).get(target).status_code == 404
    assert login(cast.outsider).get(target).status_code == 404


def test_documenter_relates_two_incidents_and_sees_both_ends(
    login: Login, cast: SimpleNamespace, pair: SimpleNamespace
) -> None:
    client = login(cast.documenter)
    response = client.post(
        url("incident_relations", pair.shelling.pk),
        {"to_incident": str(pair.siege.pk), "kind": "part_of"},
    )
    assert response.status_code == 302
    relation = IncidentRelation.objects.get()
    assert (relation.from_incident_id, relation.to_incident_id) == (
        pair.shelling.pk,
        pair.siege.pk,
    )
    assert "Shelling of the hospital" in text(client.get(url("incident_relations", pair.siege.pk)))


def test_an_incident_of_another_organisation_cannot_be_chosen(
    login: Login, cast: SimpleNamespace, pair: SimpleNamespace
) -> None:
    theirs = make_incident(cast.beacon, title="Beacon incident")
    response = login(cast.documenter).post(
        url("incident_relations", pair.siege.pk),
        {"to_incident": str(theirs.pk), "kind": "part_of"},
    )
    assert response.status_code == 422
    assert not IncidentRelation.objects.exists()
    assert "Beacon incident" not in text(response)


def test_removing_a_relation_returns_to_the_end_it_was_removed_from(
    login: Login, cast: SimpleNamespace, pair: SimpleNamespace
) -> None:
    relation = actions.relate_incidents(None, pair.shelling, pair.siege, "part_of")
    target = url("relation_remove", relation.pk)
    assert login(cast.viewer).post(target).status_code == 404
    assert login(cast.outsider).post(target).status_code == 404
    response = login(cast.documenter).post(target, {"back": str(pair.siege.pk)})
    assert response.status_code == 302
    assert response["Location"] == url("incident_relations", pair.siege.pk)
    assert not IncidentRelation.objects.exists()


def test_the_relations_page_makes_the_same_queries_however_many_relations(
    login: Login,
    cast: SimpleNamespace,
    pair: SimpleNamespace,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.documenter)
    target = url("incident_relations", pair.siege.pk)
    actions.relate_incidents(None, pair.shelling, pair.siege, "part_of")
    client.get(target)
    with CaptureQueriesContext(connection) as one:
        client.get(target)
    for n in range(4):
        other = make_incident(cast.acme, title=f"Related {n}")
        actions.relate_incidents(None, other, pair.siege, "part_of")
    with CaptureQueriesContext(connection) as five:
        assert client.get(target).status_code == 200
    assert len(five.captured_queries) == len(one.captured_queries)
