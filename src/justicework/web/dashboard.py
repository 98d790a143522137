"""The dashboard card registry: apps add cards computed per request.

Usage, in an app's ``AppConfig.ready``::

    from justicework.web import dashboard

    def violations_card(request: HttpRequest) -> dashboard.Card | None:
        if not policy.can(...):
            return None
        return {"title": _("Violations"), "count": qs.count(), "url": reverse("violations:list"),
                "entries": [...], "order": 20}

    dashboard.register(violations_card)

A provider returns a card dict or ``None`` (nothing to show). Keys: ``title`` (required),
``count`` (int, optional), ``url`` (optional link), ``link_label`` (optional), ``entries``
(optional list of ``{"label": ..., "url": ..., "note": ..., "time": datetime}`` dicts; the key is
not ``items`` because templates would find ``dict.items``), ``note`` (optional text), ``order``
(int, default 50). Providers must keep to a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Card = dict[str, Any]
Provider = Callable[[HttpRequest], Card | None]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Register ``provider`` (usable as a decorator). Registering twice has no effect."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def cards_for(request: HttpRequest) -> list[Card]:
    cards = [card for provider in _PROVIDERS if (card := provider(request)) is not None]
    return sorted(cards, key=lambda c: int(c.get("order", 50)))
