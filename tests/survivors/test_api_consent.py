"""The consent API: open, read, record, withdraw; allow and deny; the person endpoints refuse
after withdrawal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from justicework.core import actions as core_actions
from justicework.core.models import User
from justicework.survivors.models import ConsentDecision, SurvivorFile
from justicework.violations.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        _token, secret = core_actions.create_token(
            user, name=user.email, scope="write", expires_in_days=30
        )
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make


def how() -> dict[str, Any]:
    return {"given_at": timezone.now().isoformat(), "method": "oral", "language": "ar"}


def test_coordinator_manages_consent_over_the_api(
    bearer: Callable[[User], Client], coordinator: User, viewer: User, survivor: Person
) -> None:
    api = bearer(coordinator)
    base = f"/api/v1/survivors/persons/{survivor.pk}"
    assert api.post(f"{base}/file", {}, content_type="application/json").status_code == 201
    response = api.post(
        f"{base}/consent",
        {**how(), "uses": [{"scope": "documentation", "given": True},
                           {"scope": "sharing", "given": False}]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    assert {(u["scope"], u["answer"]) for u in response.json()["uses"]} == {
        ("documentation", "given"), ("sharing", "refused")
    }  # fmt: skip
    reader = bearer(viewer)
    assert reader.get(f"/api/v1/persons/{survivor.pk}").status_code == 200
    response = api.post(
        f"{base}/consent/withdraw", {**how(), "scope": "documentation"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    assert reader.get(f"/api/v1/persons/{survivor.pk}").status_code == 404
    assert reader.get(f"{base}/consent").json()["uses"][0]["answer"] == "withdrawn"


def test_viewer_cannot_record_consent_over_the_api(
    bearer: Callable[[User], Client], viewer: User, file: SurvivorFile
) -> None:
    response = bearer(viewer).post(
        f"/api/v1/survivors/persons/{file.person_id}/consent",
        {**how(), "uses": [{"scope": "documentation", "given": True}]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not ConsentDecision.objects.exists()


def test_outsider_gets_404(
    bearer: Callable[[User], Client], outsider: User, file: SurvivorFile
) -> None:
    assert (
        bearer(outsider).get(f"/api/v1/survivors/persons/{file.person_id}/consent").status_code
        == 404
    )


def test_a_bad_use_is_a_422_naming_the_field(
    bearer: Callable[[User], Client], coordinator: User, file: SurvivorFile
) -> None:
    response = bearer(coordinator).post(
        f"/api/v1/survivors/persons/{file.person_id}/consent",
        {**how(), "uses": [{"scope": "gossip", "given": True}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "scope" in str(response.json()["detail"])
