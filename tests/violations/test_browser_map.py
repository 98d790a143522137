"""The incident map in a real browser (Debian's chromium through Playwright) with no tile
server: the vendored world layer is drawn under the points, many points cluster, the finer
borders load when the user zooms in, and nothing is fetched from any other host."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.violations import actions

from .test_browser import CHROMIUM, LAUNCH_ARGS, _sign_in_with_totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (shutil.which("chromium") or shutil.which("chromium-browser"))
        and os.environ.get("CI", "").lower() != "true",
        reason="chromium is not installed (apt-get install chromium); CI fails instead",
    ),
]

# Places spread over several continents, so that the map opens zoomed out.
PLACES = [(48.0, 37.8), (15.5, 32.5), (-4.3, 15.3), (33.5, 36.3), (4.6, -74.1), (13.7, 100.5)]


@pytest.fixture
def map_page(live_server: Any, transactional_db: None, monkeypatch: Any) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_context(
            locale="en-GB", viewport={"width": 900, "height": 800}
        ).new_page()
        page.set_default_timeout(15_000)
        problems: list[str] = []
        hosts: set[str] = set()
        page.problems = problems  # type: ignore[attr-defined]
        page.hosts = hosts  # type: ignore[attr-defined]
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
        yield page
        browser.close()


def _incidents_with_places(cast: Any, count: int) -> None:
    for number in range(count):
        lat, lng = PLACES[number % len(PLACES)]
        actions.create_incident(
            cast.documenter,
            cast.acme,
            title=f"Incident {number}",
            status="documented",
            date_precision="unknown",
            locations=[
                {
                    "place_name": f"Place {number}",
                    "country": "UA",
                    "latitude": lat + number * 0.01,
                    "longitude": lng,
                }
            ],
        )


def _sign_in(page: Any, live_server: Any, cast: Any) -> None:
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    _sign_in_with_totp(page, live_server.url, cast.documenter.email, cast.password, secret)


def test_map_without_tiles_draws_world_borders_and_clusters_many_points(
    map_page: Any, live_server: Any, cast: Any, settings: Any
) -> None:
    settings.MAP_TILE_URL = ""
    _incidents_with_places(cast, 30)
    page = map_page
    _sign_in(page, live_server, cast)

    page.goto(f"{live_server.url}/incidents/map/")
    page.wait_for_selector("#incident-map[data-world-layer='110m']")
    # The borders are drawn on a canvas in their own pane, under the points.
    assert page.locator(".leaflet-world-pane canvas").count() == 1
    assert "Natural Earth" in page.inner_text(".leaflet-control-attribution")
    # 30 points: clustered, and every point is counted in some cluster or shown alone.
    page.wait_for_selector(".marker-cluster")
    clustered = sum(int(text) for text in page.locator(".marker-cluster span").all_inner_texts())
    alone = page.locator(".leaflet-overlay-pane path.leaflet-interactive").count()
    assert clustered + alone == 30

    # Zooming in swaps in the finer borders.
    for _ in range(4):
        page.click(".leaflet-control-zoom-in")
        page.wait_for_timeout(300)
    page.wait_for_selector("#incident-map[data-world-layer='50m']")

    assert page.problems == []  # type: ignore[attr-defined]
    assert page.hosts == {urlparse(live_server.url).netloc}  # type: ignore[attr-defined]


def test_map_with_a_tile_server_loads_no_world_layer_and_few_points_stay_single(
    map_page: Any, live_server: Any, cast: Any, settings: Any
) -> None:
    # The tile server is the live server itself: tiles 404, which is fine for this test.
    settings.MAP_TILE_URL = f"{live_server.url}/no-tiles/{{z}}/{{x}}/{{y}}.png"
    _incidents_with_places(cast, 3)
    page = map_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    _sign_in(page, live_server, cast)

    page.goto(f"{live_server.url}/incidents/map/")
    page.wait_for_selector(".leaflet-tile-pane img", state="attached")
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 3
    assert page.locator(".marker-cluster").count() == 0
    assert page.get_attribute("#incident-map", "data-world-layer") is None
    assert not [address for address in requested if "world-atlas" in address]
