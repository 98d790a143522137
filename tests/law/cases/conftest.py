"""Factories for the case-file tests: a case of acme with a violation, a unit, an evidence item,
and one of beacon (another organisation)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from justicework.core.models import Organisation, User
from justicework.law import actions_cases as actions
from justicework.law.models import CaseFile
from tests.evidence.conftest import upload_file
from tests.violations.conftest import make_incident, make_unit, make_violation


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    yield settings.EVIDENCE_DIR


def make_case(org: Organisation, team: list[User] | None = None, **fields: Any) -> CaseFile:
    fields.setdefault("title", "Shelling of Kharkiv markets")
    fields.setdefault("country", "UA")
    return actions.create_case_file(None, org, team=team or [], **fields)


@pytest.fixture
def records(cast: SimpleNamespace) -> SimpleNamespace:
    incident = make_incident(cast.acme)
    violation = make_violation(incident)
    unit = make_unit(cast.acme)
    item = upload_file(cast.documenter, cast.acme, b"a photo of the market", filename="m.jpg")
    case = make_case(cast.acme, team=[cast.analyst])
    other_incident = make_incident(cast.beacon, title="Raid", country="CD")
    other_case = make_case(cast.beacon, title="Beacon case", country="CD")
    return SimpleNamespace(
        incident=incident,
        violation=violation,
        unit=unit,
        item=item,
        case=case,
        other_incident=other_incident,
        other_violation=make_violation(other_incident),
        other_case=other_case,
    )


@pytest.fixture
def login(client: Any) -> Any:
    """Sign a cast member in (an authenticator for MFA roles, as tests/web does)."""

    def _login(user: User) -> Any:
        if user.requires_mfa:
            from allauth.mfa.models import Authenticator

            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client.force_login(user)
        return client

    return _login
