"""Shared set-up for the retention tests: a survivor with a full identity, a file opened long
ago, consent with conditions, and a schedule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from faker import Faker

from justicework.core.models import Organisation, User
from justicework.survivors import actions
from justicework.survivors.models import RetentionSchedule, SurvivorFile
from justicework.violations import actions as violations_actions
from tests.survivors.conftest import give

fake = Faker()


def identity() -> dict[str, Any]:
    first, last = fake.unique.first_name_female(), fake.unique.last_name()
    return {
        "full_name": f"{first} {last}",
        "other_names": [f"{last}ova"],
        "date_of_birth": dt.date(1983, 4, 17),
        "sex": "female",
        "nationalities": ["UA"],
        "contacts": [fake.unique.email()],
        "identity_documents": [
            {"type": "passport", "number": f"FX{fake.unique.random_number(digits=7, fix_len=True)}"}
        ],
    }


def old_file(
    organisation: Organisation, coordinator: User, days: int = 400, **fields: Any
) -> SurvivorFile:
    person = violations_actions.create_person(None, organisation, **(fields or identity()))
    file = actions.open_survivor_file(coordinator, person, preferred_language="uk")
    SurvivorFile.objects.filter(pk=file.pk).update(
        opened_at=timezone.now() - dt.timedelta(days=days)
    )
    file.refresh_from_db()
    return file


def consented(file: SurvivorFile, coordinator: User, conditions: str, interpreter: str) -> None:
    give(coordinator, file, "documentation", conditions=conditions, interpreter=interpreter)


def schedule(
    admin: User,
    organisation: Organisation,
    action: str = RetentionSchedule.Action.ANONYMISE,
    days: int = 365,
    record_type: str = "survivors.file",
    event: str = "opened",
) -> RetentionSchedule:
    return actions.set_retention_schedule(
        admin,
        organisation,
        record_type=record_type,
        start_event=event,
        period_days=days,
        action=action,
    )
