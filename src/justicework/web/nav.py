"""The navigation registry: apps add header links; a link shows only when its check allows.

A domain app declares its links as ``nav_links`` on its ``AppConfig`` (``web.declared`` reads
them); the web shell registers its own::

    from justicework.web import nav
    nav.register(_("Dashboard"), "web:dashboard", None, order=0)

``check`` is one of

* ``None`` — every signed-in user;
* a policy action on the *active* organisation (``"view_records"``, ``"import"``): the link
  shows when ``policy.can(user, action, organisation)`` allows it;
* a callable ``check(request) -> bool`` — for anything else (e.g. a ``policy.can`` call).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from justicework.core import policy
from justicework.core.roles import Capability

Check = str | Callable[[HttpRequest], bool] | None


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    check: Check = None
    order: int = 50


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url: str
    current: bool


_ITEMS: dict[str, NavItem] = {}


def register(label: str | Promise, url_name: str, check: Check = None, order: int = 50) -> None:
    """Add (or replace, keyed by ``url_name``) a header link."""
    if isinstance(check, Capability):  # a capability is a str too: refuse it loudly
        raise TypeError(f"nav check {check!r}: give a policy action, e.g. 'view_records'")
    _ITEMS[url_name] = NavItem(label=label, url_name=url_name, check=check, order=order)


def unregister(url_name: str) -> None:
    _ITEMS.pop(url_name, None)


def _allowed(request: HttpRequest, check: Check) -> bool:
    if check is None:
        return True
    if isinstance(check, str):
        membership: Any = getattr(request, "membership", None)
        return membership is not None and bool(
            policy.can(request.user, check, membership.organisation)
        )
    return bool(check(request))


def links_for(request: HttpRequest) -> list[NavLink]:
    """The links this request's user may follow, in order. Unknown URL names are skipped."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    allowed: list[tuple[NavItem, str]] = []
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, str(i.url_name))):
        if not _allowed(request, item.check):
            continue
        try:
            allowed.append((item, reverse(item.url_name)))
        except NoReverseMatch:
            continue
    # The current link is the one whose URL is the longest prefix of the path ("/" only exactly).
    matches = [
        url
        for _, url in allowed
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    current = max(matches, key=len) if matches else None
    return [NavLink(label=item.label, url=url, current=url == current) for item, url in allowed]
