"""The re-import changes and the duplicate decisions of an import run, in Arabic (right to left)
at phone width (360 px) in a real browser: no page wider than the screen, dates and codes drawn
in their own order (isolated), both while deciding and once the run is committed. Reuses the
fixtures of test_browser_reimport (the phone) and test_browser_phone (the measures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.dataio import actions as dataio_actions
from justicework.dataio.models import ImportRun
from justicework.violations import actions
from tests.violations.conftest import make_person
from tests.violations.test_browser import _sign_in_with_totp
from tests.violations.test_browser import pytestmark as pytestmark
from tests.violations.test_browser_phone import MEASURE, _left
from tests.violations.test_browser_reimport import phone as phone
from tests.violations.test_import import MAPPING, row
from tests.violations.test_import_views import csv_bytes


def _run(cast: Any, mapping: Any, rows: list[list[str]], name: str) -> ImportRun:
    run = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename=name,
        chunks=[csv_bytes(rows)], mapping=mapping,
    )  # fmt: skip
    return dataio_actions.dry_run(cast.documenter, run)


def _in_arabic(page: Any, base: str, cast: Any) -> None:
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": base}])
    _sign_in_with_totp(page, base, cast.documenter.email, cast.password, secret)


def _fits(page: Any) -> None:
    assert page.get_attribute("html", "dir") == "rtl"
    found = page.evaluate(MEASURE)
    assert found["extra"] <= 0 and found["scrolled"] == 0, f"{page.url}: {found}"


def _in_order(page: Any, selector: str, first: str, last: str) -> None:
    """``first`` is drawn left of ``last`` in ``selector``: left to right, never reversed, and
    the element is isolated left to right (an Arabic word beside it cannot reorder it)."""
    assert _left(page, selector, first) < _left(page, selector, last, last=True)
    style = page.eval_on_selector(
        selector, "e => [getComputedStyle(e).direction, getComputedStyle(e).unicodeBidi]"
    )
    assert style == ["ltr", "isolate"], style


def test_the_changes_of_a_reimport_fit_a_phone_in_arabic_with_dates_in_order(
    phone: Any, live_server: Any, cast: Any
) -> None:
    page, base = phone, live_server.url
    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip
    first = _run(cast, mapping, [row(1), row(2)], "list.csv")
    assert dataio_actions.commit_run(cast.documenter, first).status == ImportRun.Status.COMMITTED
    corrected = _run(
        cast, mapping, [row(1), row(2, When="14/06/2023", Place="Izium")], "list-2.csv"
    )
    assert corrected.changed_rows == 1
    _in_arabic(page, base, cast)
    page.goto(f"{base}/data/runs/{corrected.pk}/")
    changes = page.locator("fieldset.run-change")
    assert changes.count() == 1
    _fits(page)
    # The new date, isolated: the year left of the day, as written, in a right-to-left page.
    cell = "fieldset.run-change td:nth-child(3) > *"
    dates = [t for t in page.locator(cell).all_inner_texts() if "2023" in t]
    assert dates, page.locator("fieldset.run-change").inner_text()
    index = page.locator(cell).all_inner_texts().index(dates[0])
    selector = f"fieldset.run-change tr:nth-child({index + 1}) td:nth-child(3) > *"
    _in_order(page, selector, "2023", "14")
    assert page.problems == []  # type: ignore[attr-defined]


def test_duplicate_decisions_fit_a_phone_in_arabic_with_codes_in_order(
    phone: Any, live_server: Any, cast: Any
) -> None:
    page, base = phone, live_server.url
    stored = make_person(cast.acme, full_name="Олена Коваленко", date_of_birth=dt.date(1990, 2, 1))
    actions.grant_need_to_know(None, cast.documenter, stored, reason="Check the import")
    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip
    rows = [
        row(1, Victim="Olena Kovalenko"),
        row(2, Victim="Petro Shevchenko", Born="", Age="40"),
        row(3, Victim="Shevchenko Petro Jr.", Born="", Age="41"),
    ]
    run = _run(cast, mapping, rows, "v.csv")
    _in_arabic(page, base, cast)

    page.goto(f"{base}/data/runs/{run.pk}/")
    code = f"#duplicate-row-2 label:has(input[value='{stored.code}']) .pseudonym"
    assert page.inner_text(code) == stored.code
    _in_order(page, code, "P", stored.code[-1])
    _fits(page)

    actions.decide_import_duplicate(cast.documenter, run, 2, stored.code)
    actions.decide_import_duplicate(cast.documenter, run, 4, "row:3")
    assert dataio_actions.commit_run(cast.documenter, run).status == ImportRun.Status.COMMITTED
    page.goto(f"{base}/data/runs/{run.pk}/")
    decided = "#duplicate-row-2 .duplicate-decision .pseudonym"
    assert page.inner_text(decided) == stored.code
    _in_order(page, decided, "P", stored.code[-1])
    assert page.locator("#duplicate-row-4 .duplicate-decision").count() == 1
    assert page.locator(".duplicate-row input[type='radio']").count() == 0  # read-only
    _fits(page)
    assert page.problems == []  # type: ignore[attr-defined]
