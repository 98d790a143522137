"""The dashboard card registry: apps add cards computed per request.

A domain app declares its cards on its ``AppConfig`` as dotted paths, read by ``web`` at start
(``web.declared``), so the domain app never imports ``web``::

    class ViolationsConfig(AppConfig):
        dashboard_cards = ("justicework.violations.views.cards.incidents_card",)

The web shell's own cards call ``register`` directly::

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
not ``items`` because templates would find ``dict.items``), ``actions`` (optional list of
``{"label": ..., "url": ...}``: the user's next actions, shown as buttons), ``note`` (optional
text), ``order`` (int, default 50). Providers must keep to a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils.module_loading import import_string

Card = dict[str, Any]
Provider = Callable[[HttpRequest], Card | None]

#: A provider, or the dotted path of one (imported at first use, after the app registry).
_PROVIDERS: list[Provider | str] = []

P = TypeVar("P", Provider, str)


def register(provider: P) -> P:
    """Register ``provider`` or its dotted path (usable as a decorator). Registering twice has
    no effect."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def unregister(provider: Provider | str) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


@cache
def _resolve(path: str) -> Provider:
    provider: Provider = import_string(path)
    return provider


def cards_for(request: HttpRequest) -> list[Card]:
    providers = [_resolve(p) if isinstance(p, str) else p for p in _PROVIDERS]
    cards = [card for provider in providers if (card := provider(request)) is not None]
    return sorted(cards, key=lambda c: int(c.get("order", 50)))
