"""Two request or response schemas with one class name share one OpenAPI component, so the
document (and every client built from it) describes one of them wrongly: names are unique."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

from justicework.api.urls import api


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_schema_of_the_project_has_its_own_name() -> None:
    api.get_openapi_schema()  # every router imported and mounted
    by_name: dict[str, list[str]] = defaultdict(list)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("justicework."):
            by_name[cls.__name__].append(cls.__module__)
    clashes = {name: modules for name, modules in by_name.items() if len(set(modules)) > 1}
    assert clashes == {}
