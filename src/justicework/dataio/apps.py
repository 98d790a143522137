from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataIOConfig(AppConfig):
    name = "justicework.dataio"
    label = "dataio"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from justicework.dataio import rules

        rules.register()
