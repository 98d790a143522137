"""REST endpoints of the evidence vault (items, links, findings; files arrive through the tus
endpoint, ``intake/tus.py``), one module and one ninja Router per noun, mounted under
``/api/v1/`` by ``EvidenceConfig.ready``."""

from ninja import Router

from justicework.evidence.api import captures, items, links

#: (prefix, router) pairs mounted under /api/v1.
ROUTERS: list[tuple[str, Router]] = [
    ("/evidence/items", items.router),
    ("/evidence/captures", captures.router),
    ("/evidence/links", links.router),
    ("/evidence/findings", links.findings_router),
]


def register() -> None:
    from justicework.api import router_registry

    for prefix, router in ROUTERS:
        router_registry.register(prefix, router, use="evidence.records")
