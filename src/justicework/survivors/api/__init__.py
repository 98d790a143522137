"""REST endpoints of the survivors app, mounted under ``/api/v1/survivors`` by
``SurvivorsConfig.ready``; every operation runs under the use ``survivors.consent``."""

from justicework.survivors.api import consent, information, participation


def register() -> None:
    from justicework.api import router_registry

    router_registry.register("/survivors", consent.router, use="survivors.consent")
    router_registry.register(
        "/survivors/participation", participation.router, use="survivors.participation"
    )
    router_registry.register(
        "/survivors/information", information.router, use="survivors.participation"
    )
