from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ViolationsConfig(AppConfig):
    name = "justicework.violations"
    label = "violations"
    verbose_name = _("Incidents and violations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from justicework.violations import api, demo, indexing, rules

        rules.register()
        indexing.register()
        api.register()
        demo.register()
