"""``core.warnings``: providers are found on the apps' configs (survivors declares one), and
``for_persons`` gathers every provider's warnings in order."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps

from justicework.core import warnings
from justicework.core.warnings import PersonWarning


def test_the_survivors_app_declares_the_provider():
    from justicework.survivors.safety import warnings_for_many

    assert warnings.providers() == [warnings_for_many]


def first(user: Any, person_ids: Any) -> list[PersonWarning]:
    return [PersonWarning(int(pid), f"P-{pid}", "Threats reported.") for pid in person_ids]


def second(user: Any, person_ids: Any) -> list[PersonWarning]:
    return [PersonWarning(0, "P-0", f"asked by {user}", url="/safety/")]


@pytest.fixture
def two_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    configs = list(apps.get_app_configs())
    for config in configs:
        monkeypatch.setattr(config, "person_warnings", None, raising=False)
    monkeypatch.setattr(configs[0], "person_warnings", f"{__name__}.first", raising=False)
    monkeypatch.setattr(configs[-1], "person_warnings", f"{__name__}.second", raising=False)


def test_for_persons_gathers_every_providers_warnings(two_providers):
    found = warnings.for_persons("reviewer", [3, 5])
    assert [(w.person_id, w.code, str(w.text), w.url) for w in found] == [
        (3, "P-3", "Threats reported.", ""),
        (5, "P-5", "Threats reported.", ""),
        (0, "P-0", "asked by reviewer", "/safety/"),
    ]


def test_no_provider_means_no_warning(monkeypatch):
    for config in apps.get_app_configs():
        monkeypatch.setattr(config, "person_warnings", None, raising=False)
    assert warnings.providers() == []
    assert warnings.for_persons(None, [1]) == []
