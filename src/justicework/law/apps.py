from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawConfig(AppConfig):
    name = "justicework.law"
    label = "law"
    verbose_name = _("Law: crimes and their elements")
    default_auto_field = "django.db.models.BigAutoField"

    #: The catalogue reads no person data; case files (issue 14, later steps) will declare theirs.
    declared_uses = ()

    #: links to the command pages on a unit's and a person's page (``web.panels``)
    detail_panels = tuple(
        (f"violations.{m}", "justicework.law.views.command_panels.panel")
        for m in ("unit", "person")
    )

    def ready(self) -> None:
        from justicework.law import (
            api,
            api_command,
            api_qualifications,
            rules,
            rules_qualifications,
        )

        rules.register()
        rules_qualifications.register()
        api.register()
        api_qualifications.register()
        api_command.register()
