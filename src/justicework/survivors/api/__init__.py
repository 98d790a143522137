"""REST endpoints of the survivors app, mounted under ``/api/v1/survivors`` by
``SurvivorsConfig.ready``; every operation runs under the use ``survivors.consent``."""

from justicework.survivors.api import consent, information, participation
from justicework.survivors.api import interviews as interviews_api
from justicework.survivors.api import safety as safety_api


def register() -> None:
    from justicework.api import router_registry

    router_registry.register("/survivors", consent.router, use="survivors.consent")
    router_registry.register(
        "/survivors/participation", participation.router, use="survivors.participation"
    )
    router_registry.register(
        "/survivors/information", information.router, use="survivors.participation"
    )
    router_registry.register("/survivors/safety", safety_api.router, use="survivors.safety")
    router_registry.register(
        "/survivors/interviews", interviews_api.router, use="survivors.interviews"
    )
    from justicework.survivors.api import providers  # i13support

    router_registry.register("/survivors/support", providers.router, use="none")
    from justicework.survivors.api import referrals  # i13support

    router_registry.register("/survivors/referrals", referrals.router, use="survivors.support")
    from justicework.survivors.api import plans  # i13support

    router_registry.register("/survivors/plans", plans.router, use="survivors.support")
