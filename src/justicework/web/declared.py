"""Header links and dashboard cards declared on the apps' ``AppConfig``s, read by ``web``.

A domain app never imports ``web``: it declares what it adds, and ``WebConfig.ready`` reads
every installed app's declaration::

    class ViolationsConfig(AppConfig):
        # (label, URL name, check, order): the arguments of ``web.nav.register``
        nav_links = ((gettext_lazy("Incidents"), "violations:incident_list",
                      "view_records", 20),)  # check: a policy action on the organisation
        # dotted paths of ``web.dashboard`` providers, imported at first use
        dashboard_cards = ("justicework.violations.views.cards.incidents_card",)
        # (model label, dotted path of a ``web.panels`` provider): sections of record pages
        detail_panels = (("violations.incident", "justicework.evidence.views.panels.panel"),)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps

from justicework.web import dashboard, nav, panels


def register_all(configs: Iterable[Any] | None = None) -> None:
    """Register the links and cards every app (or each of ``configs``) declares, in app order."""
    for config in apps.get_app_configs() if configs is None else configs:
        for label, url_name, check, order in getattr(config, "nav_links", ()):
            nav.register(label, url_name, check, order)
        for path in getattr(config, "dashboard_cards", ()):
            dashboard.register(str(path))
        for model_label, path in getattr(config, "detail_panels", ()):
            panels.register(model_label, str(path))
