from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from justicework.core.uses import Scope, Use


class ViolationsConfig(AppConfig):
    name = "justicework.violations"
    label = "violations"
    verbose_name = _("Incidents and violations")
    default_auto_field = "django.db.models.BigAutoField"

    #: Header links and dashboard cards, read by ``web`` (``web.declared``).
    nav_links = (
        (_("Incidents"), "violations:incident_list", "view_records", 20),
        (_("Persons"), "violations:person_list", "view_records", 21),
        (_("Map"), "violations:incident_map", "view_records", 22),
        (_("Timeline"), "violations:incident_timeline", "view_records", 23),
        (_("Units"), "violations:unit_list", "view_records", 24),
        (_("Sources"), "violations:source_list", "view_records", 25),
        (_("Access requests"), "violations:access_request_queue", "decide_identity_requests", 26),
    )
    #: Uses of person data (``core.uses``); every one needs documentation consent too.
    declared_uses = (
        Use(
            "violations.records",
            Scope.DOCUMENTATION,
            _("The documentation wing's pages and API: persons by code, their roles and links."),
        ),
        Use(
            "violations.identity",
            Scope.DOCUMENTATION,
            _("Opening, correcting and matching identities (need-to-know, audited)."),
        ),
        Use(
            "violations.export",
            Scope.SHARING,
            _("Exporting violations with their victims to a file that leaves the platform."),
        ),
    )
    dashboard_cards = (
        "justicework.violations.views.cards.work_card",
        "justicework.violations.views.cards.incidents_card",
    )

    def ready(self) -> None:
        from justicework.violations import api, indexing, rules

        rules.register()
        indexing.register()
        api.register()
