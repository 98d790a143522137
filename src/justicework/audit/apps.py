from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "justicework.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.core import checks

        from justicework.audit import rules
        from justicework.audit.checks import audit_key_configured

        rules.register()
        checks.register(audit_key_configured)
