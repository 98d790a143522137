from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "justicework.grants"
    label = "grants"
    verbose_name = _("Grants: financial support to third parties")
    default_auto_field = "django.db.models.BigAutoField"

    #: sub-granting reads no person data of the documentation (applicants are organisations)
    declared_uses = ()

    #: Header links and dashboard cards, read by ``web`` (``web.declared``).
    nav_links = (
        (_("Calls"), "grants:call_list", "browse_grant_calls", 60),
        (_("Manage calls"), "grants:call_manage", "create_call", 61),
    )
    dashboard_cards = ("justicework.grants.views.call_cards.calls_card",)

    def ready(self) -> None:
        # each part of the app registers its own rules and API routers here, one line each
        from justicework.grants import api_publication, rules_publication

        rules_publication.register()
        api_publication.register()
        from justicework.grants import api_money, rules_money  # grmoney

        rules_money.register()  # grmoney
        api_money.register()  # grmoney
        from justicework.grants import api_review, rules_review  # grreview

        rules_review.register()  # grreview
        api_review.register()  # grreview
        from justicework.grants import api_applications, rules_applications

        rules_applications.register()
        api_applications.register()
        from justicework.grants import api_calls, rules_calls

        rules_calls.register()
        api_calls.register()
        from justicework.grants import rules_notices  # grflow

        rules_notices.register()  # grflow
