"""Every form control on the web pages has a label; tables have header cells; one <h1>."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.h1 = 0
        self.tables = 0
        self.th = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.label_for.add(str(a["for"]))
        elif tag in {"select", "textarea"} or (
            tag == "input" and a.get("type") not in {"hidden", "submit", "button"}
        ):
            self.controls.append(a)
        elif tag == "h1":
            self.h1 += 1
        elif tag == "table":
            self.tables += 1
        elif tag == "th":
            self.th += 1


def _pages(cast) -> list[tuple[str, object]]:
    acme = cast.acme.pk
    member = cast.viewer.memberships.get().pk
    return [
        ("/", cast.admin),
        ("/organisations/", cast.admin),
        (f"/organisations/{acme}/", cast.admin),
        (f"/organisations/{acme}/edit/", cast.admin),
        (f"/organisations/{acme}/members/add/", cast.admin),
        (f"/members/{member}/remove/", cast.admin),
        (f"/organisations/{acme}/audit/", cast.admin),
        ("/organisations/new/", cast.superuser),
        ("/", cast.loner),
    ]


def test_every_control_is_labelled_and_every_page_has_one_heading(login, cast, client) -> None:
    for url, user in _pages(cast):
        client.logout()
        html = login(user).get(url).content.decode()
        page = _Collector()
        page.feed(html)
        assert page.h1 == 1, url
        assert page.controls, url  # at least the language switcher
        for control in page.controls:
            assert control.get("id") in page.label_for or control.get("aria-label"), (url, control)
        if page.tables:
            assert page.th, url
