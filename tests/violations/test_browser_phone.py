"""Every page at phone width (360 px), in the five languages (Arabic right to left), in a real
browser (Debian's chromium through Playwright): no page is wider than the screen, and none
opens scrolled sideways; the mapping builder is measured also with the file's values and the
recoding of a vocabulary column shown. Dates, codes and coordinates keep their order in
Arabic."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from justicework.dataio import actions as dataio_actions
from justicework.violations import actions

from .conftest import make_incident, make_person, make_unit, make_violation
from .test_browser import CHROMIUM, LAUNCH_ARGS, _sign_in_with_totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (shutil.which("chromium") or shutil.which("chromium-browser"))
        and os.environ.get("CI", "").lower() != "true",
        reason="chromium is not installed (apt-get install chromium); CI fails instead",
    ),
]

# The width of the page beyond the screen, and whether it opened scrolled sideways.
MEASURE = """() => ({
  extra: document.documentElement.scrollWidth - screen.width,
  inner: window.innerWidth,
  scrolled: window.scrollX,
  widest: [...document.querySelectorAll('body *')]
    .filter(e => {
      const r = e.getBoundingClientRect();
      return r.right > screen.width + 1 || r.left < -1;
    })
    .filter(e => !e.parentElement.closest('.table-wrap'))
    .slice(0, 4)
    .map(e => `${e.tagName}.${e.className} ${(e.textContent || '').trim().slice(0, 30)}`),
})"""


@pytest.fixture
def phone(live_server: Any, transactional_db: None, monkeypatch: Any) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def _records(cast: Any) -> dict[str, int]:
    incident = make_incident(
        cast.acme,
        title="Shelling of the central market of Kramatorsk during the morning trading hours",
        date_approximate=True,
        locations=[
            {
                "place_name": "كراماتورسك، السوق المركزي",  # Arabic text right before the numbers
                "country": "UA",
                "latitude": 48.7389,
                "longitude": 37.5844,
            }
        ],
    )
    person = make_person(cast.acme, full_name="Oleksandra Volodymyrivna Kovalenko-Shevchenko")
    unit = make_unit(cast.acme, name="Operational-Tactical Group of the 128th Mountain Brigade")
    violation = make_violation(incident)
    actions.link_person(None, violation, person, "victim")
    actions.add_perpetration(None, violation, unit=unit, involvement="direct")
    source = actions.create_source(
        None,
        cast.acme,
        title="Interview with a market trader",
        kind="witness_testimony",
        incidents=[incident],
        date=dt.date(2023, 5, 6),
    )
    return {
        "run": _upload(cast),
        "incident": incident.pk,
        "place": incident.locations.get().pk,
        "violation": violation.pk,
        "person": person.pk,
        "unit": unit.pk,
        "source": source.pk,
    }


# A file to map, uploaded by the admin who signs in (so the builder may show its values), with a
# saved mapping that maps the act column: showing the values lists its recodings, whose
# suggestions are the longest labels of the page.
UPLOAD = (
    "Case,Headline,Act,City\n"
    "C1,Обстріл центрального ринку Краматорська під час ранкової торгівлі,Killing,Izium\n"
    "C2,اعتقال تعسفي عند نقطة تفتيش على الطريق السريع,arbitrary detention,Bucha\n"
    "C3,Found in a forest,shot dead by the Operational-Tactical Group,Lyman\n"
)


def _upload(cast: Any) -> int:
    mapping = dataio_actions.save_mapping(
        cast.admin, cast.acme, kind="violations", name="Market list", file_format="csv",
        spec={"fields": {"incident_ref": "Case", "incident_title": "Headline", "type": "Act"}},
    )  # fmt: skip
    run = dataio_actions.start_run(
        cast.admin, cast.acme, kind="violations", file_format="csv", filename="market.csv",
        chunks=[UPLOAD.encode()], mapping=mapping,
    )  # fmt: skip
    return int(run.pk)


SHOW_VALUES = """() => document.getElementById('builder-form').requestSubmit(
  document.querySelector("button[name='refresh'][form='builder-form']"))"""


def _builder_with_values(page: Any, base: str, run: int) -> list[str]:
    """The builder after "Show sample values": the file's values and the act's recodings."""
    page.goto(base + reverse("dataio:run_builder", args=[run]))
    with page.expect_navigation():  # submitted as the button would (a click needs it on screen)
        page.evaluate(SHOW_VALUES)
    assert page.locator("select[name='type__recode__0']").count() == 1  # recodings shown
    found = page.evaluate(MEASURE)
    if found["extra"] > 0 or found["scrolled"] != 0:
        return [f"builder with values: {found}"]
    return []


def _pages(ids: dict[str, int], cast: Any) -> list[str]:
    v = "violations"
    return [
        reverse("web:dashboard"),
        reverse(f"{v}:incident_list"),
        reverse(f"{v}:incident_list") + "?q=market",
        reverse(f"{v}:incident_create"),
        reverse(f"{v}:incident_detail", args=[ids["incident"]]),
        reverse(f"{v}:incident_edit", args=[ids["incident"]]),
        reverse(f"{v}:incident_map"),
        reverse(f"{v}:incident_timeline"),
        reverse(f"{v}:incident_relations", args=[ids["incident"]]),
        reverse(f"{v}:violation_create", args=[ids["incident"]]),
        reverse(f"{v}:violation_edit", args=[ids["violation"]]),
        reverse(f"{v}:violation_links", args=[ids["violation"]]),
        reverse(f"{v}:source_list"),
        reverse(f"{v}:source_create", args=[ids["incident"]]),
        reverse(f"{v}:source_edit", args=[ids["source"]]),
        reverse(f"{v}:unit_list"),
        reverse(f"{v}:unit_create"),
        reverse(f"{v}:unit_detail", args=[ids["unit"]]),
        reverse(f"{v}:person_list"),
        reverse(f"{v}:person_create"),
        reverse(f"{v}:person_detail", args=[ids["person"]]),
        reverse("web:organisation_list"),
        reverse("web:organisation_detail", args=[cast.acme.pk]),
        reverse("web:organisation_audit", args=[cast.acme.pk]),
        reverse("web:audit"),
        reverse("core:account"),
        reverse("core:tokens"),
        reverse("mfa_index"),
        reverse("dataio:index", args=["violations"]),
        reverse("dataio:mapping_new", args=["violations"]),
        reverse("dataio:export", args=["violations"]),
        reverse("dataio:run", args=[ids["run"]]),
        reverse("dataio:run_builder", args=[ids["run"]]),
        reverse("jw_tasks:list"),
    ]


def _too_wide(page: Any, base: str, paths: list[str]) -> list[str]:
    problems = []
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, (
            f"{path}: {response and response.status}"
        )
        found = page.evaluate(MEASURE)
        if found["extra"] > 0 or found["scrolled"] != 0:
            problems.append(f"{path}: {found}")
    return problems


# Where a piece of an element's text is drawn (its left edge, in CSS pixels).
LEFT_OF = """([selector, piece, last]) => {
  const element = document.querySelector(selector);
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = last ? node.textContent.lastIndexOf(piece) : node.textContent.indexOf(piece);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + piece.length);
      return range.getBoundingClientRect().left;
    }
  }
  return null;
}"""


def _left(page: Any, selector: str, piece: str, last: bool = False) -> float:
    left = page.evaluate(LEFT_OF, [selector, piece, last])
    assert left is not None, f"{piece!r} is not in {selector}"
    return float(left)


@pytest.mark.parametrize("language", ["en", "ar", "fr", "es", "ru"])
def test_no_page_is_wider_than_a_phone(
    phone: Any, live_server: Any, cast: Any, language: str
) -> None:
    ids = _records(cast)
    secret = generate_totp_secret()
    TOTP.activate(cast.admin, secret)
    page = phone
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    assert _too_wide(page, live_server.url, [reverse("account_login")]) == []
    _sign_in_with_totp(page, live_server.url, cast.admin.email, cast.password, secret)
    assert page.get_attribute("html", "lang") == language

    problems = _too_wide(page, live_server.url, _pages(ids, cast))
    problems += _builder_with_values(page, live_server.url, ids["run"])
    assert problems == [], "\n".join(problems)


def test_arabic_keeps_dates_codes_and_coordinates_in_order(
    phone: Any, live_server: Any, cast: Any
) -> None:
    ids = _records(cast)
    secret = generate_totp_secret()
    TOTP.activate(cast.admin, secret)
    page = phone
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    _sign_in_with_totp(page, live_server.url, cast.admin.email, cast.password, secret)
    page.goto(live_server.url + reverse("violations:incident_detail", args=[ids["incident"]]))
    assert page.get_attribute("html", "dir") == "rtl"

    # Coordinates: latitude, then longitude, left to right, with full stops.
    place = f"#location-{ids['place']}"
    assert _left(page, place, "48.7389") < _left(page, place, "37.5844")
    # The approximate date reads right to left as Arabic does: the day right of the year.
    date = "dl.details dd bdi"
    assert page.inner_text(date) == "نحو 4 مايو 2023"
    assert _left(page, date, "2023") < _left(page, date, "مايو") < _left(page, date, "4 ")
    # A person's code keeps its letters in order (its random tail may itself end in "P").
    person = f"a.pseudonym[href$='/{ids['person']}/']"
    code = page.inner_text(person)
    assert code.startswith("P-")
    assert _left(page, person, "P") < _left(page, person, code[-1], last=True)
