"""A documenter, in a real browser at phone width (360 px), uploads a CSV, builds its mapping by
picking columns, a constant country and a place template, recodes a value the vocabulary does
not know, saves, and runs the dry run: every row checks. The strict CSP stays on, no script
error, and no page is wider than the screen."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.dataio.models import ImportRun, Mapping
from tests.violations.test_browser import CHROMIUM, LAUNCH_ARGS, _sign_in_with_totp
from tests.violations.test_browser import pytestmark as pytestmark

ROWS = [
    ["Case", "Headline", "Act", "City", "State"],
    ["C1", "Raid on a village", "Killing", "Izium", "Kharkiv Oblast"],
    ["C2", "Arrest at a checkpoint", "arbitrary detention", "Bucha", ""],
    ["C3", "Found in a forest", "shot dead", "Lyman", "Donetsk Oblast"],
]


@pytest.fixture
def phone(live_server: Any, transactional_db: None, monkeypatch: Any) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems: list[str] = []
        page.problems = problems  # type: ignore[attr-defined]  # collected for the assertions
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        yield page
        browser.close()


def _no_wider_than_the_screen(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def test_documenter_builds_a_mapping_with_a_recoding_and_runs_the_dry_run(
    phone: Any, live_server: Any, cast: Any, tmp_path: Any
) -> None:
    page, base = phone, live_server.url
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    _sign_in_with_totp(page, base, cast.documenter.email, cast.password, secret)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(ROWS)
    path = tmp_path / "killings.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")

    page.goto(f"{base}/data/import/violations/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_file_format", "csv")
    page.locator("main form[enctype] button[type='submit']").click()
    page.wait_for_url("**/runs/*/")
    page.get_by_role("link", name="Build a mapping from this file's columns").click()
    page.wait_for_url("**/mapping/build")
    assert "Raid on a village" not in page.inner_text("main")  # hidden until asked for
    page.get_by_role("button", name="Show sample values").click()
    page.wait_for_selector("text=Raid on a village")
    _no_wider_than_the_screen(page)

    page.fill("#id_name", "Killings list")
    page.select_option("#id_incident_ref__column", "Case")
    page.select_option("#id_incident_title__column", "Headline")
    page.select_option("#id_type__column", "Act")
    page.fill("#id_country__value", "UA")
    page.fill("#id_place_name__template", "{City}, {State}")
    page.select_option("#id_key", "Case")
    page.get_by_role("button", name="Show the values of the chosen columns").first.click()
    page.wait_for_selector("text=Recognised: Killing")
    assert page.is_visible("text=Not a known term: choose one")
    page.get_by_label("What “shot dead” becomes").select_option("killing")
    _no_wider_than_the_screen(page)
    page.get_by_role("button", name="Check and save the mapping").click()
    page.wait_for_url("**/runs/*/")
    assert "saved and chosen for this file" in page.inner_text("body")
    mapping = Mapping.objects.get(name="Killings list")
    assert mapping.spec["fields"]["type"] == {"source": "Act", "values": {"shot dead": "killing"}}

    page.get_by_role("button", name="Check the file").click()
    page.wait_for_selector("text=Checked: no errors")
    run = ImportRun.objects.get()
    assert (run.status, run.total_rows, run.error_count) == (ImportRun.Status.VALID, 3, 0)
    _no_wider_than_the_screen(page)
    assert page.problems == []  # type: ignore[attr-defined]
