"""In a real browser at phone width (360 px), in English and Arabic (right to left): an
anonymous visitor reads the published award list and downloads its 360Giving CSV; a programme
officer opens the programme's dashboard. No page is wider than the screen."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from tests.violations.test_browser_phone import (  # noqa: F401 - the fixture, by name
    MEASURE,
    _too_wide,
    phone,
    pytestmark,
)


def _language(phone: Any, base: str, language: str) -> None:  # noqa: F811
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": base}])


@pytest.mark.parametrize("language", ["en", "ar"])
def test_anonymous_reads_the_list_and_downloads_the_csv(
    phone: Any,  # noqa: F811
    live_server: Any,
    world: SimpleNamespace,
    language: str,
    tmp_path: Path,
) -> None:
    base = live_server.url
    _language(phone, base, language)
    assert _too_wide(phone, base, [reverse("grants:published_awards")]) == []
    assert phone.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    assert phone.locator("table tbody tr").count() == 4
    assert "Kharkiv Women's Voices" in phone.locator("table").inner_text()
    with phone.expect_download() as info:
        phone.locator(f"a[href^='{reverse('grants:awards_360_csv')}']").click()
    saved = tmp_path / "grants.csv"
    info.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("Identifier,Title,Description,Currency,Amount Awarded")
    assert "Not decided yet" not in text and text.count("360G-acme-") >= 4


@pytest.mark.parametrize("language", ["en", "ar"])
def test_programme_officer_opens_the_dashboard(
    phone: Any,  # noqa: F811
    live_server: Any,
    cast: Any,
    world: SimpleNamespace,
    language: str,
) -> None:
    base = live_server.url
    _language(phone, base, language)
    phone.goto(f"{base}/accounts/login/")
    phone.fill("input[name='login']", cast.officer.email)
    phone.fill("input[name='password']", cast.password)
    phone.locator("main form button[type='submit']").first.click()
    phone.wait_for_url(f"{base}/")
    paths = [
        reverse("grants:dashboard_index"),
        reverse("grants:programme_dashboard", args=[world.programme.pk]),
    ]
    assert _too_wide(phone, base, paths) == []
    assert phone.locator("svg.grants-bar").count() >= 4
    assert phone.locator("table.grants-dashboard").count() == 4
