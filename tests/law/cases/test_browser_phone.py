"""The case pages at phone width (360 px), in English and in Arabic (right to left), in a real
browser: no page is wider than the screen; the matrix scrolls inside its table container only;
a cell's entries open in place (htmx), link to their records, and are edited in place, a
refused edit showing its error at the field."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from justicework.law import actions_cases as actions
from tests.law.cases.conftest import make_case
from tests.violations.conftest import make_incident, make_violation
from tests.violations.test_browser import _sign_in_with_totp
from tests.violations.test_browser_phone import (  # noqa: F401 - the fixture, by name
    MEASURE,
    _too_wide,
    phone,
    pytestmark,
)


def _case(cast: Any) -> tuple[int, int]:
    incident = make_incident(
        cast.acme, title="Shelling of the central market of Kramatorsk during the morning trade"
    )
    violation = make_violation(incident)
    case = make_case(
        cast.acme, team=[cast.admin], title="Kramatorsk market: attacks on civilians 2022-2023"
    )
    charge = actions.add_charge(None, case, crime_id="7(1)(a)", mode_id="28(a)")
    for number, strength in [(1, "strong"), (2, "weak"), (3, "moderate")]:
        actions.add_matrix_entry(
            None, charge, part="crime", element=number, link=violation, bearing="supports",
            strength=strength, note="Three witnesses and a video geolocated to the market",
        )  # fmt: skip
    actions.add_matrix_entry(
        None, charge, part="crime", element=1, link=incident, bearing="contradicts",
        strength="weak", note="A resident says the market was closed that morning",
    )  # fmt: skip
    return case.pk, charge.pk


@pytest.mark.parametrize("language", ["en", "ar"])
def test_case_pages_fit_a_phone(phone: Any, live_server: Any, cast: Any, language: str) -> None:  # noqa: F811
    case, charge = _case(cast)
    secret = generate_totp_secret()
    TOTP.activate(cast.admin, secret)
    phone.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    _sign_in_with_totp(phone, live_server.url, cast.admin.email, cast.password, secret)
    assert phone.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    paths = [
        reverse("law:case_list"),
        reverse("law:case_create"),
        reverse("law:case_detail", args=[case]),
        reverse("law:case_matrix", args=[case]),
        reverse("law:case_missing", args=[case]),
        reverse("law:entry_add", args=[charge]),
        reverse("law:matrix_cell", args=[charge, "crime", 1]),
    ]
    assert _too_wide(phone, live_server.url, paths) == []
    phone.goto(live_server.url + reverse("law:case_matrix", args=[case]))
    # the matrix is wider than the phone, so it scrolls inside its container
    wrap = phone.evaluate(
        "() => { const w = document.querySelector('.law-matrix');"
        " return [w.scrollWidth, w.clientWidth]; }"
    )
    assert wrap[0] > wrap[1]
    assert phone.locator(".law-strength--strong").first.inner_text().strip() != ""
    _open_and_edit_a_cell(phone, charge)


def _open_and_edit_a_cell(page: Any, charge: int) -> None:
    key = f"{charge}-crime-1"
    page.locator(f"#cell-{key} details summary").click()
    entries = page.locator(f"#entries-{key}")
    entries.wait_for()  # loaded on demand by htmx into the cell
    assert entries.locator("li").count() == 2
    assert entries.locator("a[href*='#violation-']").count() == 1
    assert page.evaluate(MEASURE)["extra"] <= 0
    first = entries.locator("li").first
    first.locator("details summary").click()
    first.locator("select[name=strength]").select_option("moderate")
    first.locator("button[type=submit]").first.click()
    page.locator(f"#strength-{key}.law-strength--moderate").wait_for()
    assert page.locator(f"#entries-{key} .law-saved").count() == 1
    # a note too long: refused with a 422 that is still shown in place, at its field
    first = page.locator(f"#entries-{key} li").first
    first.locator("details summary").click()
    first.locator("textarea[name=note]").fill("x" * 5001)
    first.locator("button[type=submit]").first.click()
    page.locator(f"#entries-{key} textarea[aria-invalid=true]").wait_for()
    assert page.locator(f"#entries-{key} .errorlist").count() == 1
    assert page.locator(f"#strength-{key}.law-strength--moderate").count() == 1
