"""Sources: graded, linked to incidents and violations of the same organisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.violations import actions

from ..conftest import last_audit

pytestmark = pytest.mark.django_db


def test_sources_are_graded_and_linked(cast, incident, violation, beacon_incident):
    source = actions.create_source(
        cast.documenter,
        cast.acme,
        kind="witness_testimony",
        title="Interview 14",
        reliability="B",
        credibility="2",
        language="uk",
        date=dt.date(2023, 6, 1),
        incidents=[incident],
    )
    assert source.grade == "B2"
    actions.link_source(cast.documenter, source, violation=violation)
    assert list(violation.sources.all()) == [source]
    for bad, field in [
        ({"reliability": "G"}, "reliability"),
        ({"credibility": "7"}, "credibility"),
        ({"language": "xx"}, "language"),
        ({"kind": "rumour"}, "kind"),
    ]:
        data = {"kind": "document", "title": "Bad", **bad}
        with pytest.raises(ValidationError) as excinfo:
            actions.create_source(cast.documenter, cast.acme, **data)
        assert field in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        actions.link_source(None, source, incident=beacon_incident)
    with pytest.raises(PermissionDenied):
        actions.link_source(cast.outsider, source, incident=incident)
    actions.update_source(cast.analyst, source, reliability="A")
    actions.unlink_source(cast.documenter, source, incident=incident)
    assert not source.incidents.exists()


def _source(cast, **fields):
    data = {"kind": "witness_testimony", "title": "Interview", "reliability": "B"}
    return actions.create_source(None, cast.acme, **{**data, "credibility": "2", **fields})


def test_linking_needs_an_incident_or_a_violation(cast):
    source = _source(cast)
    with pytest.raises(ValidationError) as caught:
        actions.link_source(cast.documenter, source)
    assert caught.value.message_dict == {"__all__": ["Name an incident or a violation."]}


def test_a_source_cannot_be_linked_across_organisations(cast, beacon_incident):
    source = _source(cast)
    with pytest.raises(ValidationError) as caught:
        actions.link_source(cast.documenter, source, incident=beacon_incident)
    assert "incident" in caught.value.message_dict
    assert not source.incidents.exists()


def test_links_and_unlinks_are_audited(cast, incident, violation):
    source = _source(cast)
    actions.link_source(cast.documenter, source, incident=incident, violation=violation)
    assert last_audit("violations.source.linked").diff == {
        "incident": incident.pk,
        "violation": violation.pk,
    }
    actions.unlink_source(cast.documenter, source, violation=violation)
    assert list(source.violations.all()) == [] and list(source.incidents.all()) == [incident]
    assert last_audit("violations.source.unlinked").diff == {
        "incident": None,
        "violation": violation.pk,
    }


def test_a_refused_update_leaves_the_source_as_it_was(cast):
    source = _source(cast)
    with pytest.raises(ValidationError) as caught:
        actions.update_source(cast.documenter, source, reliability="Z", title="New")
    assert "reliability" in caught.value.message_dict
    assert (source.reliability, source.title) == ("B", "Interview")
    with pytest.raises(PermissionDenied):
        actions.update_source(cast.viewer, source, title="New")
