from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from justicework.core.uses import Scope, Use


class EvidenceConfig(AppConfig):
    name = "justicework.evidence"
    label = "evidence"
    verbose_name = _("Evidence vault")
    default_auto_field = "django.db.models.BigAutoField"

    #: Header links and dashboard cards, read by ``web`` (``web.declared``).
    nav_links = (
        (_("Evidence"), "evidence:item_list", "evidence.view", 30),
        (_("Upload evidence"), "evidence:upload", "evidence.upload", 31),
        (_("Evidence removals"), "evidence:removal_list", "evidence.remove.approve", 32),
        (_("Capture a web page"), "evidence:capture", "evidence.capture", 33),
    )
    dashboard_cards = ("justicework.evidence.views.cards.evidence_card",)
    #: Uses of person data (``core.uses``): items link to persons by code.
    declared_uses = (
        Use(
            "evidence.records",
            Scope.DOCUMENTATION,
            _("Evidence pages, API, intake and processing, with their links to persons."),
        ),
        Use(
            "evidence.package",
            Scope.LEGAL_PROCEEDINGS,
            _("Signed evidence packages, which list the persons their items are linked to."),
        ),
        Use(
            "evidence.copy",
            Scope.SHARING,
            _(
                "Copying an item to a partner organisation, which receives what it shows of "
                "the persons it is linked to."
            ),
        ),
        # Removal honours a survivor's withdrawal (it may be its reason): it must stay
        # possible once consent is gone, so it needs none; its pages show no person data.
        Use(
            "evidence.removal",
            None,
            _(
                "Asking for an item's removal (its file destroyed, a tombstone kept), also "
                "after a survivor withdrew consent; shows no person data."
            ),
        ),
    )
    #: The "Evidence" section of the documentation wing's record pages (``web.panels``).
    detail_panels = tuple(
        (f"violations.{model}", "justicework.evidence.views.panels.panel")
        for model in ("incident", "violation", "person", "source")
    )

    def ready(self) -> None:
        from justicework.evidence import api, fsck, rules
        from justicework.evidence.derivatives import checks

        rules.register()
        api.register()
        fsck.register("derivatives", checks.fsck_check)
