"""The consent-coverage test (issue 13): every URL, API operation, export kind and task of the
platform names a declared use of person data, found by walking the URL resolver, the OpenAPI
document, the export registry and the task functions of every module: a new endpoint that
declares nothing fails here. (A view that declares "none" but reads persons fails at run
time: the policy raises ``UndeclaredUse`` under test settings.)

Then, for each declared use that needs consent: refused after withdrawal with the reason
naming the missing consent, allowed again only after consent is given again."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.urls import URLResolver, get_resolver, path
from django_tasks.base import Task

import justicework
from justicework.api.urls import USE_KEY, api
from justicework.core import policy, uses
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.dataio import schema as schemas
from justicework.survivors.gate import use_label
from justicework.survivors.models import SurvivorFile
from tests.survivors.conftest import give, withdraw

#: Modules never imported by the task walk: entry points with side effects.
SKIP_MODULES = ("justicework.settings", "justicework.wsgi", "justicework.asgi", ".migrations.")


def _is_ours(urlconf: Any) -> bool:
    name = getattr(urlconf, "__name__", urlconf if isinstance(urlconf, str) else "")
    return isinstance(name, str) and name.startswith("justicework.")


def walk_urls(
    resolver: URLResolver, prefix: str = "", ours: bool = True
) -> Iterator[tuple[str, Any]]:
    """(route, callback) of every pattern reached through the project's own URLconfs (third
    parties' — admin, allauth, i18n — and the ninja API, walked through its OpenAPI
    document, are left out)."""
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk_urls(pattern, route, _is_ours(pattern.urlconf_name))
        elif ours:
            yield route, pattern.callback


def undeclared_urls(resolver: URLResolver) -> list[str]:
    known = uses.declared()
    return sorted(
        route for route, callback in walk_urls(resolver) if uses.use_of(callback) not in known
    )


def test_every_url_names_a_declared_use() -> None:
    routes = list(walk_urls(get_resolver()))
    assert len(routes) > 50  # the walk reaches the apps' URLconfs
    assert undeclared_urls(get_resolver()) == []


def test_a_new_url_without_a_declared_use_is_caught() -> None:
    def sneaky_view(request: Any) -> Any:  # pragma: no cover - never called
        return None

    module = ModuleType("justicework.sneaky_urls")
    module.urlpatterns = [path("sneaky/", sneaky_view)]  # type: ignore[attr-defined]
    resolver = URLResolver(r"^", module)
    assert undeclared_urls(resolver) == ["sneaky/"]


def test_every_api_operation_names_a_declared_use() -> None:
    known = uses.declared()
    document = api.get_openapi_schema()
    operations = [
        (method.upper(), route, operation.get(USE_KEY))
        for route, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) > 50
    assert [op for op in operations if op[2] not in known] == []
    assert ("POST", "/api/v1/persons/{person_id}/reveal", "violations.identity") in operations


def test_every_export_kind_names_a_declared_use_with_a_consent_scope() -> None:
    known = uses.declared()
    exporting = [kind for kind in schemas.kinds() if schemas.get(kind).exports()]
    assert exporting
    for kind in exporting:
        name = schemas.get(kind).export_use
        assert name in known, f"export kind {kind!r} names no declared use"
        assert known[name].scope is not None, f"export kind {kind!r} is not consent-checked"


def _modules() -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(justicework.__path__, "justicework."):
        if any(part in info.name + "." for part in SKIP_MODULES):
            continue
        yield importlib.import_module(info.name)


def test_every_task_names_a_declared_use() -> None:
    known = uses.declared()
    tasks = {
        f"{module.__name__}.{name}": value
        for module in _modules()
        for name, value in vars(module).items()
        if isinstance(value, Task) and value.func.__module__ == module.__name__
    }
    assert "justicework.evidence.tasks.build_package" in tasks
    assert {name for name, t in tasks.items() if uses.use_of(t.func) not in known} == set()
    assert uses.use_of(tasks["justicework.evidence.tasks.build_package"].func) == "evidence.package"


def test_every_declared_use_needing_consent_names_a_known_scope() -> None:
    for use in uses.declared().values():
        assert use.scope is None or use.scope in Scope.values, use.name
        assert str(use.description)


def consent_uses() -> list[str]:
    return sorted(n for n, u in uses.declared().items() if u.scope is not None)


@pytest.mark.django_db
@pytest.mark.parametrize("name", consent_uses())
def test_each_use_is_refused_after_withdrawal_and_allowed_after_consent_again(
    name: str, viewer: User, coordinator: User, file: SurvivorFile
) -> None:
    use = uses.get(name)
    assert use.scope is not None
    person = file.person
    give(coordinator, file, *dict.fromkeys([Scope.DOCUMENTATION, use.scope]))
    with uses.using(name):
        assert policy.can(viewer, "view", person)
        assert person in policy.visible(viewer, type(person))
    withdraw(coordinator, file, use.scope)
    with uses.using(name):
        decision = policy.can(viewer, "view", person)
        assert not decision
        assert str(decision.reason).startswith(
            f"No consent for {use_label(use.scope, '')} — withdrawn on "
        )
        assert person not in policy.visible(viewer, type(person))
    give(coordinator, file, use.scope)
    with uses.using(name):
        assert policy.can(viewer, "view", person)
        assert person in policy.visible(viewer, type(person))
