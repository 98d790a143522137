"""The art. 28 records and the dated hierarchy at phone width (360 px), in English and in
Arabic (right to left), in a real browser: no page is wider than the screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from justicework.law import actions_cases, actions_command
from justicework.violations import actions
from tests.law.cases.conftest import make_case
from tests.violations.conftest import make_incident, make_person, make_unit
from tests.violations.test_browser import _sign_in_with_totp
from tests.violations.test_browser_phone import (  # noqa: F401 - the fixture, by name
    _too_wide,
    phone,
    pytestmark,
)


def _world(cast: Any) -> dict[str, int]:
    incident = make_incident(
        cast.acme, title="Shelling of the central market of Kramatorsk during the morning trade"
    )
    brigade = make_unit(cast.acme, name="53rd Separate Mechanised Brigade of the Northern Group")
    other = make_unit(cast.acme, name="Operational Group East of the Joint Forces Command")
    battalion = make_unit(cast.acme, name="2nd Battalion of the 53rd Brigade", parent=brigade)
    actions.add_unit_subordination(
        None, battalion, brigade, valid_to=dt.date(2023, 3, 31),
        note="Order of battle before the reorganisation of the northern front in spring 2023",
    )  # fmt: skip
    sub = actions.add_unit_subordination(None, battalion, other, valid_from=dt.date(2023, 4, 1))
    commander = make_person(cast.acme)
    case = make_case(cast.acme, team=[cast.admin], title="Kramatorsk market: commanders 2023")
    actions_cases.link_records(None, case, "suspect_persons", [commander])
    actions_cases.link_records(None, case, "suspect_units", [battalion])
    actions_cases.add_charge(None, case, crime_id="8(2)(b)(i)", mode_id="28(a)")
    actions_command.add_command_record(
        None, case, suspect=commander, mode_id="28(a)", element=4, link=incident,
        bearing="supports", strength="strong", concerns_from=dt.date(2023, 5, 1),
        note="Radio logs show that reports of the shelling reached the brigade headquarters",
    )  # fmt: skip
    return {"case": case.pk, "unit": battalion.pk, "sub": sub.pk}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_art28_and_hierarchy_pages_fit_a_phone(
    phone: Any,  # noqa: F811
    live_server: Any,
    cast: Any,
    language: str,
) -> None:
    ids = _world(cast)
    secret = generate_totp_secret()
    TOTP.activate(cast.admin, secret)
    phone.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    _sign_in_with_totp(phone, live_server.url, cast.admin.email, cast.password, secret)
    assert phone.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    paths = [
        reverse("law:case_art28", args=[ids["case"]]),
        reverse("law:command_record_add", args=[ids["case"]]) + "?mode=28(a)",
        reverse("violations:unit_detail", args=[ids["unit"]]),
        reverse("violations:subordination_edit", args=[ids["sub"]]),
        reverse("law:command_unit_chain", args=[ids["unit"]]) + "?date=2023-03-01",
    ]
    assert _too_wide(phone, live_server.url, paths) == []
