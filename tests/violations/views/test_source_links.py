"""Linking and unlinking sources on an incident and on an act: refusals (404 for what is not
yours), and the messages for a bad source number."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.violations import actions
from justicework.violations.models import Source

from ..conftest import make_incident, make_violation
from .conftest import Login, url

pytestmark = pytest.mark.django_db


def _source(org: object, title: str, **links: object) -> Source:
    return actions.create_source(None, org, kind="document", title=title, **links)


@pytest.fixture
def linked(cast: SimpleNamespace) -> SimpleNamespace:
    incident = make_incident(cast.acme)
    act = make_violation(incident)
    source = _source(cast.acme, "Field report", incidents=[incident])
    return SimpleNamespace(incident=incident, act=act, source=source)


def _messages(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


def test_a_bad_source_number_is_explained(
    login: Login, cast: SimpleNamespace, linked: SimpleNamespace
) -> None:
    client = login(cast.documenter)
    target = url("incident_source_link", linked.incident.pk)
    response = client.post(target, {"source": "twelve"}, follow=True)
    assert any("Give the number of a source" in m for m in _messages(response))
    theirs = _source(cast.beacon, "Beacon report")
    response = client.post(target, {"source": f"#{theirs.pk}"}, follow=True)
    assert any(f"There is no source #{theirs.pk}" in m for m in _messages(response))
    response = client.post(target, {"source": str(linked.source.pk)}, follow=True)
    assert any("already linked" in m for m in _messages(response))


def test_a_source_of_the_organisation_links_to_another_incident(
    login: Login, cast: SimpleNamespace, linked: SimpleNamespace
) -> None:
    other = make_incident(cast.acme, title="Second incident")
    response = login(cast.documenter).post(
        url("incident_source_link", other.pk), {"source": str(linked.source.pk)}
    )
    assert response.status_code == 302
    assert set(linked.source.incidents.values_list("pk", flat=True)) == {
        linked.incident.pk,
        other.pk,
    }


def test_viewer_and_outsider_cannot_unlink(
    login: Login, cast: SimpleNamespace, linked: SimpleNamespace
) -> None:
    actions.link_source(None, linked.source, violation=linked.act)
    targets = [
        url("source_unlink", linked.incident.pk, linked.source.pk),
        url("violation_source_unlink", linked.act.pk, linked.source.pk),
    ]
    for user in [cast.viewer, cast.outsider]:
        for target in targets:
            assert login(user).post(target).status_code == 404
    assert linked.source.incidents.exists() and linked.source.violations.exists()


def test_documenter_unlinks_from_the_act_and_from_the_incident(
    login: Login, cast: SimpleNamespace, linked: SimpleNamespace
) -> None:
    actions.link_source(None, linked.source, violation=linked.act)
    client = login(cast.documenter)
    response = client.post(url("violation_source_unlink", linked.act.pk, linked.source.pk))
    assert response["Location"].endswith("#sources")
    assert not linked.source.violations.exists()
    client.post(url("source_unlink", linked.incident.pk, linked.source.pk))
    assert not linked.source.incidents.exists()
    assert Source.objects.filter(pk=linked.source.pk).exists()  # the source itself stays


def test_unlinking_a_source_that_is_not_on_the_act_is_404(
    login: Login, cast: SimpleNamespace, linked: SimpleNamespace
) -> None:
    target = url("violation_source_unlink", linked.act.pk, linked.source.pk)
    assert login(cast.documenter).post(target).status_code == 404
