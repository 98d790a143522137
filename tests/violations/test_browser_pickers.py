"""The pickers in a real browser (Debian's chromium through Playwright, as test_browser.py):
a documenter records an incident, then its act with a **new** victim recorded in the inline
panel and an **existing** unit picked from the search-as-you-type list, without leaving the
act's form and without losing what was typed. The strict CSP stays on throughout."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from justicework.violations import actions
from justicework.violations.models import Incident, Person
from tests.violations.test_browser import _sign_in_with_totp, page, pytestmark  # noqa: F401

DESCRIPTION = "Beaten at the checkpoint near the bridge."


def test_documenter_records_an_act_with_a_new_victim_and_an_existing_unit_in_one_form(
    page: Any,  # noqa: F811  # the fixture imported above
    live_server: Any,
    cast: Any,
) -> None:
    base = live_server.url
    unit = actions.create_unit(None, cast.acme, name="3rd Motorised Brigade", kind="armed_forces")
    secret = generate_totp_secret()
    TOTP.activate(cast.documenter, secret)
    _sign_in_with_totp(page, base, cast.documenter.email, cast.password, secret)

    page.goto(f"{base}/incidents/new/")
    page.fill("#id_title", "Detentions at the bridge checkpoint")
    page.select_option("#id_country", "UA")
    page.fill("#id_start_date", "2023-05-04")
    page.click("button[name='save']")
    page.wait_for_selector("h1")
    incident = Incident.objects.get(title="Detentions at the bridge checkpoint")

    form_url = f"{base}/incidents/{incident.pk}/violations/new/"
    page.click(f"a[href='/incidents/{incident.pk}/violations/new/']")
    page.wait_for_url(form_url)
    page.select_option("#id_type", "torture")
    page.fill("#id_description", DESCRIPTION)

    # A new victim, recorded in the panel inside the form.
    page.click("details#new-person-id_victim summary")
    page.wait_for_selector("input[name='np-full_name']")
    page.fill("input[name='np-full_name']", "Taras Melnyk")
    page.select_option("select[name='np-status']", "alive")
    page.click("details#new-person-id_victim button[hx-post]")
    page.wait_for_selector("details#new-person-id_victim [data-fill='id_victim']")
    person = Person.objects.get(organisation=cast.acme)
    assert page.input_value("#id_victim") == person.code
    assert page.input_value("#id_description") == DESCRIPTION  # nothing typed was lost
    assert page.url == form_url

    # An existing unit, found by typing part of its name.
    page.type("#id_unit", "Motor", delay=30)
    option = page.locator("#id_unit-options option").first
    option.wait_for(state="attached")
    picked = option.get_attribute("value")
    assert picked == f"3rd Motorised Brigade [#{unit.pk}]"
    page.fill("#id_unit", picked)
    page.select_option("#id_involvement", "direct")
    assert page.url == form_url

    # The form with its open panel fits a 360 px phone screen (no horizontal scroll).
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("button[name='save']")
    page.wait_for_url(f"{base}/incidents/{incident.pk}/")
    violation = incident.violations.get()
    assert violation.type == "torture"
    assert violation.description == DESCRIPTION
    assert violation.person_roles.get(role="victim").person == person
    assert violation.perpetrations.get().unit == unit
    assert person.code in page.content()
    assert page.problems == []  # no CSP violation, no script error
