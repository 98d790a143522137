from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
    dashboard_cards = (
        "justicework.violations.views.cards.work_card",
        "justicework.violations.views.cards.incidents_card",
    )

    def ready(self) -> None:
        from justicework.violations import api, indexing, rules

        rules.register()
        indexing.register()
        api.register()
