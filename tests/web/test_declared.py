"""Header links and dashboard cards come from the apps' ``AppConfig`` declarations."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.http import HttpRequest

from justicework.web import dashboard, declared, nav


def declared_card(request: HttpRequest) -> dashboard.Card:
    return {"title": "Declared card", "count": 7, "order": 1}


def test_a_declared_link_and_card_render(login, viewer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nav, "_ITEMS", dict(nav._ITEMS))
    monkeypatch.setattr(dashboard, "_PROVIDERS", list(dashboard._PROVIDERS))
    config = SimpleNamespace(
        nav_links=[("Declared link", "web:organisation_list", "view_records", 60)],
        dashboard_cards=[f"{__name__}.declared_card"],
    )
    declared.register_all([config])
    html = login(viewer).get("/").content.decode()
    assert "Declared card" in html
    assert '<a href="/organisations/">Declared link</a>' in html


def test_violations_links_and_card_are_declared_on_its_app_config() -> None:
    config = apps.get_app_config("violations")
    for label, url_name, check, order in config.nav_links:  # type: ignore[attr-defined]
        assert nav._ITEMS[url_name] == nav.NavItem(label, url_name, check, order)
    orders = {name: nav._ITEMS[name].order for name in nav._ITEMS if name.startswith("violations")}
    assert sorted(orders, key=orders.__getitem__) == [
        "violations:incident_list",
        "violations:person_list",
        "violations:incident_map",
        "violations:incident_timeline",
        "violations:unit_list",
        "violations:source_list",
        "violations:access_request_queue",
    ]
    card = "justicework.violations.views.cards.incidents_card"
    assert card in config.dashboard_cards  # type: ignore[attr-defined]
    # after the web shell's own cards, as when violations registered it from its URLconf
    from justicework.web import cards

    assert dashboard._PROVIDERS.index(card) > dashboard._PROVIDERS.index(cards.audit_card)
