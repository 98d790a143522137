"""The header navigation: which link is marked current, what unregistering does, and an
anonymous visitor's empty shell."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from justicework.core.models import User
from justicework.web import nav
from justicework.web.context_processors import shell

pytestmark = pytest.mark.django_db


def current_links(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page"', page)


def test_the_current_link_is_the_longest_prefix_of_the_path_and_home_only_exactly(
    login: Callable[[User], Client], admin: User, acme: object
) -> None:
    client = login(admin)
    assert current_links(client.get("/").content.decode()) == ["/"]
    page = client.get(f"/organisations/{acme.pk}/").content.decode()  # type: ignore[attr-defined]
    assert current_links(page) == ["/organisations/"]
    # A page under no link (the account page) marks none, not the home page.
    account = client.get("/account/")
    assert account.status_code == 200
    assert current_links(account.content.decode()) == []


def test_an_unregistered_link_is_no_longer_shown(
    login: Callable[[User], Client], admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nav, "_ITEMS", dict(nav._ITEMS))  # restored after the test
    client = login(admin)
    assert 'href="/audit/"' in client.get("/").content.decode()
    nav.unregister("web:audit")
    nav.unregister("web:never_registered")  # unknown names are ignored
    assert 'href="/audit/"' not in client.get("/").content.decode()


def test_an_anonymous_visitor_gets_an_empty_shell() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert shell(request) == {"active_membership": None, "memberships": [], "nav_links": []}
    assert nav.links_for(request) == []
