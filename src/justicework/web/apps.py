from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from justicework.core.uses import Scope, Use


class WebConfig(AppConfig):
    name = "justicework.web"
    label = "web"
    verbose_name = _("Web interface")
    #: The shell's pages show what the apps contribute (dashboard cards, counts).
    declared_uses = (
        Use(
            "web.shell",
            Scope.DOCUMENTATION,
            _("The dashboard and organisation pages, with the cards the apps contribute."),
        ),
    )

    def ready(self) -> None:
        from justicework.web import cards, declared

        cards.register()
        declared.register_all()
