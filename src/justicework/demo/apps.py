from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from justicework.core.uses import Scope, Use


class DemoConfig(AppConfig):
    name = "justicework.demo"
    label = "demo"
    verbose_name = _("Demo data")
    #: Building synthetic demo records (no real person, ever).
    declared_uses = (
        Use("demo.data", Scope.DOCUMENTATION, _("Building and reading the synthetic demo data.")),
    )

    def ready(self) -> None:
        # The demo depends on the domain apps, never the reverse: their generators live here.
        from justicework import demo
        from justicework.demo import evidence, grants, law, survivors, violations

        demo.register(violations.build, order=200)
        demo.register(evidence.build, order=300)  # links to the violations demo's records
        demo.register(survivors.build, order=400)  # survivors among the violations demo's victims
        demo.register(law.build, order=500)  # cases on all of the above
        demo.register(grants.build, order=600)  # the secretariat's grants programme
