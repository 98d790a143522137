from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataIOConfig(AppConfig):
    name = "justicework.dataio"
    label = "dataio"
    verbose_name = _("Import and export")
    dashboard_cards = ("justicework.dataio.cards.imports_card",)

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from justicework.dataio import rules

        rules.register()
        # Domain apps describe their rows in ``<app>/io.py`` (e.g. justicework.violations.io),
        # which registers a schema; dataio itself imports no domain app.
        autodiscover_modules("io")
