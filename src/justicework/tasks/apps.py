from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "justicework.tasks"
    label = "jw_tasks"
    verbose_name = _("Background work")

    def ready(self) -> None:
        from justicework.tasks import rules

        rules.register()
