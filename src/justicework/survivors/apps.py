from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from justicework.core.uses import Scope, Use


class SurvivorsConfig(AppConfig):
    name = "justicework.survivors"
    label = "survivors"
    verbose_name = _("Survivors")
    default_auto_field = "django.db.models.BigAutoField"

    #: Administering consent is the one use that needs no consent: recording a refusal or a
    #: withdrawal must work when every other use is refused.
    declared_uses = (
        Use(
            "survivors.consent",
            None,
            _("Opening a survivor file, recording, reading and withdrawing consent."),
        ),
        Use(
            "survivors.support",
            Scope.DOCUMENTATION,
            _("Reading and managing a survivor's referrals and support plan."),
        ),
        Use(
            "survivors.referral",
            Scope.REFERRAL,
            _("Referring a survivor to a service (the provider or kind of service is asked)."),
        ),
    )

    #: Header links, read by ``web`` (``web.declared``).
    nav_links = (
        (_("Information sheets"), "survivors:sheet_list", "manage_information_sheets", 40),
        (_("Service providers"), "survivors:provider_list", "manage_providers", 41),
    )
    #: The "Consent" section of a person's page (``web.panels``).
    detail_panels = (
        ("violations.person", "justicework.survivors.views.panels.panel"),
        ("violations.person", "justicework.survivors.views.support_panel.panel"),  # i13support
    )

    def ready(self) -> None:
        from justicework.survivors import api, gate, rules

        rules.register()
        gate.register()
        api.register()
