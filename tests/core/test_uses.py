"""The registry of declared uses of person data (``core.uses``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import path

from justicework.core import uses


def test_an_unknown_use_fails_at_once() -> None:
    with pytest.raises(uses.UnknownUse), uses.using("no.such.use"):
        pass
    with pytest.raises(uses.UnknownUse):
        uses.declares("no.such.use")


def test_using_sets_the_use_and_its_qualifier_and_restores_the_outer_one() -> None:
    with uses.using("violations.records"):
        with uses.using("evidence.package", qualifier=" ICC ") as inner:
            assert uses.current() is inner
            assert (inner.use.name, inner.qualifier) == ("evidence.package", "ICC")
        outer = uses.current()
        assert outer is not None and outer.use.name == "violations.records"
        with uses.cleared():
            assert uses.current() is None


def test_declare_urls_applies_the_default_and_keeps_a_views_own_use() -> None:
    seen: list[str | None] = []

    def page(request: Any) -> None:
        in_use = uses.current()
        seen.append(in_use.use.name if in_use else None)

    @uses.declares("violations.identity")
    def reveal(request: Any) -> None:
        page(request)

    patterns = uses.declare_urls("violations.records", [path("a/", page), path("b/", reveal)])
    assert [uses.use_of(p.callback) for p in patterns] == [  # type: ignore[union-attr]
        "violations.records",
        "violations.identity",
    ]
    for pattern in patterns:
        with uses.cleared():
            pattern.callback(None)  # type: ignore[union-attr]
    assert seen == ["violations.records", "violations.identity"]


def test_a_marked_view_outside_declare_urls_declares_nothing() -> None:
    @uses.declares("violations.records")
    def view(request: Any) -> None:
        return None

    assert uses.use_of(view) is None  # only applied uses count


def test_applying_twice_wraps_once() -> None:
    def task() -> None:
        return None

    once = uses.applied(task, "violations.records")
    assert uses.applied(once, "evidence.records") is once


def test_two_apps_declaring_one_name_differently_is_an_error() -> None:
    from django.apps import apps

    config = apps.get_app_config("survivors")
    original = config.declared_uses  # type: ignore[attr-defined]
    clash = uses.Use("violations.records", None, "clash")
    try:
        config.declared_uses = (*original, clash)  # type: ignore[attr-defined]
        uses.register(uses.Use("tests.reset", None, "drops the cached answer"))
        with pytest.raises(ValueError, match="declared twice"):
            uses.declared()
    finally:
        config.declared_uses = original  # type: ignore[attr-defined]
        uses.register(uses.Use("tests.reset", None, "drops the cached answer"))
