"""Issue 13's browser test, in a real browser (Debian's chromium through Playwright): a
documenter signs in with TOTP, opens a survivor file and records consent for every use on the
consent page, withdraws one use — documentation, the ground that both the export of
violations (sharing) and the evidence package (legal proceedings) need — and then sees the
export leave the victim out and the package refuse the item, each with a message naming the
missing consent; consent given again, the export carries the victim again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from justicework.core.uses import Scope
from justicework.evidence import actions as evidence_actions
from justicework.survivors.models import ConsentDecision
from justicework.violations import actions as violations_actions
from justicework.violations.models import Person
from tests.evidence.conftest import upload_file
from tests.violations.test_browser import _sign_in_with_totp, page, pytestmark  # noqa: F401

EXPORT_HEADING = "Left out of this export for lack of consent"


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


def _victim(cast: Any) -> Person:
    """A victim of an act of ``acme``, with an evidence item linked to them (not yet a
    survivor file: the browser opens it)."""
    person = violations_actions.create_person(None, cast.acme, full_name="Olena Marchenko")
    incident = violations_actions.create_incident(
        None, cast.acme, title="Shelling of the market", country="UA",
        start_date=dt.date(2024, 3, 1),
    )  # fmt: skip
    violations_actions.add_violation(
        None, incident, type="killing_in_attack", start_date=dt.date(2024, 3, 1), victim=person
    )
    item = upload_file(cast.documenter, cast.acme, b"statement audio", filename="statement.ogg")
    evidence_actions.link_item(cast.documenter, item, person)
    return person


def _consent_page(tab: Any, base: str, person: Person) -> None:
    tab.goto(base + reverse("survivors:consent", args=[person.pk]))


def _record_every_use(tab: Any, base: str, person: Person, *scopes: str) -> None:
    _consent_page(tab, base, person)
    form = tab.locator(f"form[action='{reverse('survivors:consent_record', args=[person.pk])}']")
    for scope in scopes:
        form.locator(f"#id_use_{scope}").select_option("given")
    form.locator("#id_language").fill("uk")
    form.locator("button[type='submit']").click()
    tab.wait_for_selector(".messages")
    assert "Consent recorded." in tab.inner_text(".messages")


def _withdraw(tab: Any, base: str, person: Person, scope: str) -> None:
    _consent_page(tab, base, person)
    form = tab.locator(f"form[action='{reverse('survivors:consent_withdraw', args=[person.pk])}']")
    form.locator("#id_withdraw-scope").select_option(scope)
    form.locator("#id_withdraw-language").fill("uk")
    form.locator("button[type='submit']").click()
    tab.wait_for_selector(".messages")
    assert "Consent withdrawn. It takes effect at once." in tab.inner_text(".messages")


def _export(tab: Any, base: str) -> tuple[str, str]:
    """The export page's text and the CSV file it offers, downloaded by the browser."""
    tab.goto(base + reverse("dataio:export", args=["violations"]))
    text = tab.inner_text("main")
    with tab.expect_download() as download:
        tab.locator(
            f"a[href='{reverse('dataio:export_download', args=['violations', 'csv'])}']"
        ).click()
    return text, Path(download.value.path()).read_text(encoding="utf-8-sig")


def _package(tab: Any, base: str, item_name: str) -> str:
    """Ask for a package of the item on the evidence list; the message shown."""
    tab.goto(base + reverse("evidence:item_list"))
    tab.get_by_label(f"Choose {item_name}").check()
    tab.locator("#package-form button[type='submit']").click()
    tab.wait_for_selector(".messages")
    return str(tab.inner_text(".messages"))


def test_a_withdrawn_use_stops_the_export_and_the_package_until_given_again(
    page: Any,  # noqa: F811 - the imported fixture, requested by name
    live_server: Any,
    cast: Any,
) -> None:
    base = live_server.url
    person = _victim(cast)
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    _sign_in_with_totp(page, base, cast.documenter.email, cast.password, secret)

    # the survivor file, opened on the consent page; every use given
    _consent_page(page, base, person)
    page.locator(
        f"form[action='{reverse('survivors:file_open', args=[person.pk])}'] button"
    ).click()
    page.wait_for_selector(".messages")
    _record_every_use(page, base, person, *Scope.values)
    text, csv = _export(page, base)
    assert EXPORT_HEADING not in text and person.code in csv

    # one use withdrawn: documentation, which every other use stands on
    _withdraw(page, base, person, Scope.DOCUMENTATION)
    assert ConsentDecision.objects.filter(answer="withdrawn", scope="documentation").count() == 1
    refusal = f"No consent for documentation — withdrawn on {timezone.localdate().isoformat()}."
    text, csv = _export(page, base)
    assert EXPORT_HEADING in text and f"1 person: {refusal}" in text
    assert person.code not in csv
    assert refusal in _package(page, base, "statement.ogg")

    # given again: the export carries the victim again
    _record_every_use(page, base, person, Scope.DOCUMENTATION)
    text, csv = _export(page, base)
    assert EXPORT_HEADING not in text and person.code in csv
    assert page.problems == []  # no console error, no CSP violation
