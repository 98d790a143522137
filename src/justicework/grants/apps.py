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
    #: Each check is a policy action on the active organisation (``rules_calls.ORG_ACTIONS``,
    #: ``rules_publication``): a link shows to those with something to do on its page.
    nav_links = (
        (_("Calls"), "grants:call_list", "browse_grant_calls", 60),
        (_("Manage calls"), "grants:call_manage", "create_call", 61),
        (_("My applications"), "grants:my_applications", "apply_for_grants", 62),
        (_("Review desk"), "grants:review_desk", "run_grant_review", 63),
        (_("Applications to review"), "grants:review_queue", "review_grant_applications", 64),
        (_("Awards"), "grants:award_list", "list_grant_awards", 65),
        (_("Reports to review"), "grants:report_review_list", "review_grant_reports", 66),
        (_("Programme dashboards"), "grants:dashboard_index", "view_grant_dashboard", 67),
        # public: the published awards are no policy question (``grants.publication``)
        (_("Published awards"), "grants:published_awards", None, 68),
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
