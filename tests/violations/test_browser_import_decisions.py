"""Deciding likely duplicates in a real browser (Debian's chromium through Playwright, as
test_browser.py), at phone width: a documenter checks a file, links one flagged row to the
stored person it duplicates (HTMX, the page stays), and imports; the row's act names that
person and no second person is created. The strict CSP stays on throughout."""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.dataio import actions as dataio_actions
from justicework.dataio.models import ImportRun
from justicework.violations import actions
from justicework.violations.models import ImportDuplicateDecision, Person, PersonRole
from tests.violations.conftest import make_person
from tests.violations.test_browser import _sign_in_with_totp, page, pytestmark  # noqa: F401
from tests.violations.test_import import MAPPING, csv_file, row


def _no_wider_than_the_screen(page: Any) -> None:  # noqa: F811  # a page, not the fixture
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def test_documenter_links_a_flagged_row_to_the_stored_person_and_imports(
    page: Any,  # noqa: F811  # the fixture imported above
    live_server: Any,
    cast: Any,
    tmp_path: Any,
) -> None:
    base = live_server.url
    stored = make_person(cast.acme, full_name="Олена Коваленко", date_of_birth=dt.date(1990, 2, 1))
    actions.grant_need_to_know(None, cast.documenter, stored, reason="Check the import")
    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip
    rows = [row(1, Victim="Olena Kovalenko"), row(2, Victim="Iryna Bondar", Born="03/04/1985")]
    run = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="v.csv",
        chunks=[csv_file(tmp_path, rows).read_bytes()], mapping=mapping,
    )  # fmt: skip
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    _sign_in_with_totp(page, base, cast.documenter.email, cast.password, secret)
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{base}/data/runs/{run.pk}/")
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_selector("text=Checked: no errors")
    item = page.locator("#duplicate-row-2")
    assert stored.code in item.inner_text()
    _no_wider_than_the_screen(page)

    item.locator(f"input[value='{stored.code}']").check()
    item.get_by_role("button", name="Save the decision").click()
    page.wait_for_selector("#duplicate-row-2 >> text=Decision saved for row 2.")
    assert page.url == f"{base}/data/runs/{run.pk}/"  # the form was swapped in place
    assert ImportDuplicateDecision.objects.get(run=run, row=2).person_id == stored.pk
    assert page.is_checked(f"#duplicate-row-2 input[value='{stored.code}']")
    _no_wider_than_the_screen(page)

    page.get_by_role("button", name="Import the rows").click()
    page.wait_for_selector("text=Imported")
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED
    assert Person.objects.filter(organisation=cast.acme).count() == 2  # stored + Iryna
    linked = PersonRole.objects.get(person=stored, role="victim").violation
    assert linked.incident.title == "Shelling C1"
    assert page.problems == []  # type: ignore[attr-defined]  # no CSP violation, no script error
