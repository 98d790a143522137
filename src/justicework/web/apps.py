from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "justicework.web"
    label = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        from justicework.web import cards, declared

        cards.register()
        declared.register_all()
