"""How a domain app adds its endpoints to ``/api/v1/``.

In the app's ``AppConfig.ready``::

    from justicework.api import router_registry
    from justicework.violations.api import incidents  # one module, one Router per noun

    router_registry.register("/incidents", incidents.router)

``justicework.api.urls`` mounts every registered router when the URLconf is first loaded (after
all apps are ready), so a router gets token/session auth, scope checks, rate limiting and the
error format for free. Inside the router use ``policy.visible`` / ``policy.get_or_404``, call
actions for writes, and ``@paginate(CursorPagination, ordering=(...))`` from
``justicework.api.pagination`` for lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from ninja import Router


@dataclass(frozen=True)
class Registered:
    prefix: str
    router: Router
    tags: tuple[str, ...] = ()
    #: the declared use of person data of its operations (``core.uses``) unless one declares
    #: its own with ``@declares``
    use: str = ""


_ROUTERS: dict[str, Registered] = {}


def register(prefix: str, router: Router, *, tags: tuple[str, ...] = (), use: str = "") -> None:
    """Mount ``router`` at ``/api/v1<prefix>``. Registering the same prefix twice with another
    router is a programming error."""
    if not prefix.startswith("/"):
        raise ValueError(f"API prefix {prefix!r} must start with '/'.")
    existing = _ROUTERS.get(prefix)
    if existing is not None and existing.router is not router:
        raise ValueError(f"API prefix {prefix!r} is already registered.")
    _ROUTERS[prefix] = Registered(prefix, router, tags, use)


def registered() -> list[Registered]:
    return sorted(_ROUTERS.values(), key=lambda item: item.prefix)
