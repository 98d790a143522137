"""Correcting a source: an unknown language is refused at its field with nothing written, and an
unchanged save writes and audits nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from justicework.audit.models import AuditEntry
from justicework.violations import actions
from justicework.violations.models import Incident, Source

from .conftest import Login, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(cast: SimpleNamespace, incident: Incident) -> Source:
    return actions.create_source(
        None,
        cast.acme,
        kind="photo",
        title="Photo of the crater",
        language="uk",
        reliability="B",
        credibility="2",
        incidents=[incident],
    )


def edit_body(**changes: str) -> dict[str, str]:
    data = {
        "kind": "photo",
        "title": "Photo of the crater",
        "description": "",
        "reliability": "B",
        "credibility": "2",
        "language": "uk",
        "date": "",
        "url": "",
    }
    data.update(changes)
    return data


def source_updates() -> int:
    return AuditEntry.objects.filter(action="violations.source.updated").count()


def test_an_unknown_language_is_refused_at_its_field_and_nothing_is_written(
    login: Login, cast: SimpleNamespace, source: Source
) -> None:
    response = login(cast.documenter).post(
        url("source_edit", source.pk), edit_body(title="Renamed", language="zz")
    )
    assert response.status_code == 422
    assert "language" in response.context["form"].errors
    source.refresh_from_db()
    assert (source.title, source.language) == ("Photo of the crater", "uk")
    assert source_updates() == 0


def test_an_unchanged_save_writes_no_audit_entry(
    login: Login, cast: SimpleNamespace, source: Source
) -> None:
    response = login(cast.documenter).post(url("source_edit", source.pk), edit_body(language="UK"))
    assert response.status_code == 302
    assert source_updates() == 0


def test_a_source_dated_in_the_future_is_refused(
    login: Login, cast: SimpleNamespace, source: Source
) -> None:
    response = login(cast.documenter).post(
        url("source_edit", source.pk), edit_body(date="2999-01-01")
    )
    assert response.status_code == 422
    assert "date" in response.context["form"].errors
    source.refresh_from_db()
    assert source.date is None
