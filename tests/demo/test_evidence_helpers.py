"""The evidence demo's small helpers: where and when a photograph was taken (the incident's
place and day, else a seeded point and day), the fictional web page it captures, and the
loopback server that serves that page only while it is captured."""

from __future__ import annotations

import datetime as dt
import urllib.request
from types import SimpleNamespace

import pytest

from justicework.demo import coalition
from justicework.demo import evidence as demo
from justicework.demo.violations_data import BOXES


def test_a_photo_without_an_incident_is_placed_in_its_country_from_the_seed():
    first = demo._place(None, coalition.make_context(3), "CO")
    assert first == demo._place(None, coalition.make_context(3), "CO")
    south, west, north, east = BOXES["CO"]
    assert south <= first[0] <= north and west <= first[1] <= east


def test_a_country_without_a_box_falls_back_to_the_first_conflicts():
    lat, lon = demo._place(None, coalition.make_context(3), "NL")
    south, west, north, east = BOXES["UA"]
    assert south <= lat <= north and west <= lon <= east


def test_a_photo_is_dated_on_its_incidents_day_in_daylight():
    incident = SimpleNamespace(start_date=dt.date(2023, 5, 17))
    moment = demo._moment(incident, coalition.make_context(1))  # type: ignore[arg-type]
    assert moment.date() == dt.date(2023, 5, 17)
    assert 6 <= moment.hour < 20 and moment.tzinfo is dt.UTC


def test_a_photo_without_an_incident_is_dated_within_the_last_months():
    moment = demo._moment(None, coalition.make_context(1))
    age = dt.datetime.now(dt.UTC) - moment
    assert dt.timedelta(days=29) < age < dt.timedelta(days=401)
    assert moment.time() == demo._moment(None, coalition.make_context(1)).time()


def test_the_captured_page_is_fictional_html_from_the_seed():
    page = demo._page(coalition.make_context(8))
    assert page == demo._page(coalition.make_context(8))
    assert page.startswith(b"<!doctype html>") and b"A fictional page served by" in page
    assert page.count(b"<p>") == 4


def test_the_local_page_is_served_on_loopback_only_inside_the_block():
    body = b"<html><body>demo</body></html>"
    with (
        demo.local_page(body) as port,
        urllib.request.urlopen(f"http://127.0.0.1:{port}/any/path") as response,
    ):
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert response.read() == body
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)


def test_the_made_items_leave_out_what_was_not_made():
    made = demo.Made()
    assert made.items() == []
    made.photos = ["photo"]  # type: ignore[list-item]
    made.audio = "audio"  # type: ignore[assignment]
    made.capture = SimpleNamespace(item="page", screenshot=None)  # type: ignore[assignment]
    assert made.items() == ["photo", "audio", "page"]
