from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from justicework.core.uses import Scope, Use

CASES_USE = Use(
    "law.cases",
    Scope.LEGAL_PROCEEDINGS,
    _("Case files, their charges and case matrix, with the persons and evidence they cite."),
)


class LawConfig(AppConfig):
    name = "justicework.law"
    label = "law"
    verbose_name = _("Law: crimes and their elements")
    default_auto_field = "django.db.models.BigAutoField"

    #: The catalogue reads no person data; case files read suspects, survivors' records and
    #: evidence for building a case: legal proceedings (docs/law.md, i14cases).
    declared_uses = (CASES_USE,)

    #: links to the command pages on a unit's and a person's page (``web.panels``)
    detail_panels = tuple(
        (f"violations.{m}", "justicework.law.views.command_panels.panel")
        for m in ("unit", "person")
    )

    def ready(self) -> None:
        from justicework.law import (
            api,
            api_command,
            api_exports,
            api_qualifications,
            rules,
            rules_qualifications,
        )
        from justicework.law.api_cases import register as register_case_api
        from justicework.law.api_command_records import register as register_record_api
        from justicework.law.rules_cases import register as register_case_rules
        from justicework.law.rules_command import register as register_record_rules

        rules.register()
        rules_qualifications.register()
        api.register()
        api_qualifications.register()
        api_command.register()
        register_case_rules()
        register_case_api()
        api_exports.register()
        register_record_rules()
        register_record_api()
