"""Sources: graded, linked to incidents and violations of the same organisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.violations import actions

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
