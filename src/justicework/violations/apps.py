from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from justicework.core.roles import Capability


class ViolationsConfig(AppConfig):
    name = "justicework.violations"
    label = "violations"
    verbose_name = _("Incidents and violations")
    default_auto_field = "django.db.models.BigAutoField"

    #: Header links and dashboard cards, read by ``web`` (``web.declared``).
    nav_links = (
        (_("Incidents"), "violations:incident_list", Capability.RECORD_VIEW, 20),
        (_("Persons"), "violations:person_list", Capability.RECORD_VIEW, 21),
        (_("Map"), "violations:incident_map", Capability.RECORD_VIEW, 22),
        (_("Timeline"), "violations:incident_timeline", Capability.RECORD_VIEW, 23),
        (_("Units"), "violations:unit_list", Capability.RECORD_VIEW, 24),
        (_("Sources"), "violations:source_list", Capability.RECORD_VIEW, 25),
    )
    dashboard_cards = ("justicework.violations.views.incidents_card",)

    def ready(self) -> None:
        from justicework.violations import api, indexing, rules

        rules.register()
        indexing.register()
        api.register()
