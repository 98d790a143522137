"""REST endpoints of the documentation wing, one module (and one ninja Router) per noun, mounted
under ``/api/v1/`` by ``ViolationsConfig.ready`` through ``register``.

Reads go through ``policy.visible`` / ``policy.get_or_404``; writes call ``actions``. Persons are
pseudonymous here (code and status); identities only come from ``POST /persons/{id}/reveal``
(need-to-know, audited). Identity input travels in request bodies only, never in URLs.
"""

from ninja import Router

from justicework.violations.api import (
    groups,
    incidents,
    perpetrations,
    persons,
    sources,
    units,
    violations,
)

#: (prefix, router) pairs mounted under /api/v1.
ROUTERS = [
    ("/incidents", incidents.router),
    ("/violations", violations.router),
    ("/persons", persons.router),
    ("/victim-groups", groups.router),
    ("/units", units.router),
    ("/perpetrations", perpetrations.router),
    ("/sources", sources.router),
]

#: The operation ids clients generate code from; they were named after the single module this
#: package replaced (ninja derives them from the view's module), so they stay as they were.
OPERATION_ID_PREFIX = "justicework_violations_api_"


def _keep_operation_ids(router: Router) -> None:
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            if operation.operation_id is None:
                operation.operation_id = OPERATION_ID_PREFIX + operation.view_func.__name__


def register() -> None:
    from justicework.api import router_registry

    for prefix, router in ROUTERS:
        _keep_operation_ids(router)
        router_registry.register(prefix, router, use="violations.records")
