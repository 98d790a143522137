"""A documenter, in a real browser at phone width (360 px), imports a file, then uploads a
corrected release of it: the check lists the changed row with each changed field (stored now, in
this file), and applying it updates the record. No script error, no page wider than the
screen."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.dataio import actions as dataio_actions
from justicework.dataio.models import ImportRun
from justicework.violations.models import Violation
from tests.violations.test_browser import CHROMIUM, LAUNCH_ARGS, _sign_in_with_totp
from tests.violations.test_browser import pytestmark as pytestmark

from .test_import import HEADER, MAPPING, row


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


def _file(tmp_path: Any, name: str, rows: list[list[str]]) -> Any:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _upload_and_check(page: Any, base: str, path: Any) -> None:
    page.goto(f"{base}/data/import/violations/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_file_format", "csv")
    page.locator("main form[enctype] button[type='submit']").click()
    page.wait_for_url("**/runs/*/")
    page.select_option("#id_mapping", label="Survey")
    page.get_by_role("button", name="Use this mapping").click()
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_selector("text=Checked: no errors")


def test_documenter_reimports_a_corrected_release_and_applies_its_changes(
    phone: Any, live_server: Any, cast: Any, tmp_path: Any
) -> None:
    page, base = phone, live_server.url
    dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    _sign_in_with_totp(page, base, cast.documenter.email, cast.password, secret)

    _upload_and_check(page, base, _file(tmp_path, "list.csv", [row(1), row(2)]))
    page.get_by_role("button", name="Import the rows").click()
    page.wait_for_selector("dd:has-text('Imported')")
    assert Violation.objects.count() == 2

    corrected = [row(1), row(2, Act="torture", Place="Izium"), row(3)]
    _upload_and_check(page, base, _file(tmp_path, "list-corrected.csv", corrected))
    main = page.inner_text("main")
    assert "1 new rows, 1 rows imported before and unchanged, and 1 row imported before" in main
    changes = page.locator("fieldset.run-change")
    assert changes.count() == 1
    text = changes.inner_text()
    assert "Apply the changes of row 3" in text
    assert "Kharkiv" in text and "Izium" in text and "Torture (torture)" in text
    _no_wider_than_the_screen(page)

    page.fill("#changes-reason", "the source corrected row 2")
    page.get_by_role("button", name="Apply the chosen changes").click()
    page.wait_for_selector("text=1 changed row applied to the records (audited).")
    changed = Violation.objects.select_related("location").order_by("pk")[1]
    assert (changed.type, changed.location.place_name) == ("torture", "Izium")
    assert ImportRun.objects.order_by("-pk").first().status == ImportRun.Status.VALID
    page.get_by_role("button", name="Import the rows").click()
    page.wait_for_selector("dd:has-text('Imported')")
    assert Violation.objects.count() == 3
    _no_wider_than_the_screen(page)
    assert page.problems == []  # type: ignore[attr-defined]
