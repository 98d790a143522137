from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "justicework.core"
    label = "core"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from justicework.core import auth_audit, rules

        rules.register()
        auth_audit.connect()
