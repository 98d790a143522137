"""The detail-panel registry: apps add sections to another app's record pages.

A record page of the documentation wing (an incident, a violation, a person, a source) ends
with ``{% detail_panels record %}`` (``web_tags``); each panel registered for the record's model
renders its own HTML there, or nothing. The page's app never imports the panel's app: the
evidence vault declares its "Evidence" panel on its ``AppConfig`` (read by ``web.declared``)::

    class EvidenceConfig(AppConfig):
        # (model label, dotted path of a provider)
        detail_panels = (("violations.incident", "justicework.evidence.views.panels.panel"),)

A provider is ``provider(request, record) -> str | None``: HTML it rendered itself (a template,
so escaped), or None when the user may see nothing of it (the section is then left out). It
decides through the policy and keeps to a constant number of queries, whatever the record.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.db.models import Model
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

Provider = Callable[[HttpRequest, Model], str | None]

#: model label (``app_label.model_name``, lower case) → providers or their dotted paths
_PANELS: dict[str, list[Provider | str]] = {}


def register(model_label: str, provider: Provider | str) -> None:
    """Add ``provider`` (or its dotted path) to the pages of ``model_label``; twice is once."""
    providers = _PANELS.setdefault(model_label.lower(), [])
    if provider not in providers:
        providers.append(provider)


def unregister(model_label: str, provider: Provider | str) -> None:
    providers = _PANELS.get(model_label.lower(), [])
    if provider in providers:
        providers.remove(provider)


@cache
def _resolve(path: str) -> Provider:
    provider: Provider = import_string(path)
    return provider


def panels_for(request: HttpRequest, record: Model) -> SafeString:
    """The HTML of every panel for ``record``'s page, in registration order."""
    parts: list[str] = []
    for provider in _PANELS.get(record._meta.label_lower, []):
        function = _resolve(provider) if isinstance(provider, str) else provider
        html = function(request, record)
        if html:
            parts.append(html)
    return mark_safe("".join(parts))  # noqa: S308  # each part is a rendered (escaped) template
