"""The detail-panel registry: sections other apps add to a record's page, declared on their
``AppConfig`` (the evidence vault's "Evidence" section on the documentation wing's pages)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.http import HttpRequest

from justicework.web import declared, panels


def declared_panel(request: HttpRequest, record: object) -> str:
    return f'<section id="declared-panel">{record.pk}</section>'  # type: ignore[attr-defined]


def silent_panel(request: HttpRequest, record: object) -> None:
    return None


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(panels, "_PANELS", {k: list(v) for k, v in panels._PANELS.items()})


def test_a_declared_panel_renders_on_the_records_page(fresh, login, documenter, acme) -> None:
    from tests.violations.conftest import make_incident

    incident = make_incident(acme, title="Panel")
    config = SimpleNamespace(detail_panels=[
        ("violations.Incident", f"{__name__}.declared_panel"),
        ("violations.incident", f"{__name__}.silent_panel"),
    ])  # fmt: skip
    declared.register_all([config])
    html = login(documenter).get(f"/incidents/{incident.pk}/").content.decode()
    assert f'<section id="declared-panel">{incident.pk}</section>' in html


def test_registering_twice_is_once_and_unregister_removes(fresh) -> None:
    panels.register("violations.person", silent_panel)
    panels.register("violations.person", silent_panel)
    assert panels._PANELS["violations.person"].count(silent_panel) == 1
    panels.unregister("violations.person", silent_panel)
    assert silent_panel not in panels._PANELS["violations.person"]


def test_the_evidence_panel_is_declared_for_the_four_record_pages() -> None:
    config = apps.get_app_config("evidence")
    labels = {label for label, _path in config.detail_panels}  # type: ignore[attr-defined]
    assert labels == {f"violations.{m}" for m in ("incident", "violation", "person", "source")}
    for label in labels:
        assert "justicework.evidence.views.panels.panel" in panels._PANELS[label]
