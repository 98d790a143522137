from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from justicework.core.uses import Scope, Use


class DataIOConfig(AppConfig):
    name = "justicework.dataio"
    label = "dataio"
    verbose_name = _("Import and export")
    dashboard_cards = ("justicework.dataio.cards.imports_card",)
    #: Uses of person data (``core.uses``). An export kind names its own use
    #: (``Schema.export_use``); ``dataio.export`` covers the export pages around it.
    declared_uses = (
        Use(
            "dataio.import",
            Scope.DOCUMENTATION,
            _("Importing records (persons, victims) and reviewing an import's rows."),
        ),
        Use(
            "dataio.export",
            Scope.SHARING,
            _("The export pages and downloads (rows under the kind's own use)."),
        ),
    )

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from justicework.dataio import rules

        rules.register()
        # Domain apps describe their rows in ``<app>/io.py`` (e.g. justicework.violations.io),
        # which registers a schema; dataio itself imports no domain app.
        autodiscover_modules("io")
