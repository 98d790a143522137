"""The retention review list: for each schedule of an organisation, the records whose period
has run out and that retention has not yet anonymised, with whether a legal hold stops them.
One query per schedule (and one for holds), whatever the number of records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone

from justicework.core.models import Organisation
from justicework.survivors import retention_types
from justicework.survivors.models import LegalHold, RetentionDone, RetentionSchedule
from justicework.survivors.retention_types import RecordType


@dataclass(frozen=True)
class Due:
    record_type: RecordType
    schedule: RetentionSchedule
    row_id: int
    file_id: int
    code: str  # the person's pseudonym
    due_on: dt.date
    held: bool


def holds_in_force(organisation_id: int, today: dt.date | None = None) -> models.Q:
    today = today or timezone.localdate()
    return Q(organisation_id=organisation_id, lifted_at__isnull=True) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def held_file_ids(organisation_id: int, today: dt.date | None = None) -> set[int]:
    return set(
        LegalHold.objects.filter(holds_in_force(organisation_id, today)).values_list(
            "file_id", flat=True
        )
    )


def _code_path(file_path: str) -> str:
    if file_path == "id":
        return "person__code"
    return file_path.removesuffix("_id") + "__person__code"


def _due_for(
    schedule: RetentionSchedule, record_type: RecordType, now: dt.datetime, held: set[int]
) -> list[Due]:
    model = record_type.model_class()
    field = record_type.start_events[schedule.start_event][1]
    cutoff: dt.date | dt.datetime = now - dt.timedelta(days=schedule.period_days)
    is_date = type(model._meta.get_field(field)) is models.DateField
    if is_date:
        cutoff = cutoff.date() if isinstance(cutoff, dt.datetime) else cutoff
    done = RetentionDone.objects.filter(
        organisation_id=schedule.organisation_id, record_type=record_type.name
    ).values("record_id")
    rows = (
        model._default_manager.filter(
            organisation_id=schedule.organisation_id, **{f"{field}__lte": cutoff}
        )
        .exclude(pk__in=done)
        .order_by(field, "pk")
        .values_list("pk", record_type.file_path, _code_path(record_type.file_path), field)
    )
    found = []
    for pk, file_id, code, start in rows:
        start_day = start if is_date else timezone.localdate(start)
        found.append(
            Due(
                record_type,
                schedule,
                pk,
                file_id,
                code,
                start_day + dt.timedelta(days=schedule.period_days),
                file_id in held,
            )
        )
    return found


def due_records(organisation: Organisation, now: dt.datetime | None = None) -> list[Due]:
    """Records of ``organisation`` due for their schedule's action at ``now``, oldest first.
    Schedules naming a record type no app declares any more are skipped."""
    now = now or timezone.now()
    known = retention_types.record_types()
    held = held_file_ids(organisation.pk, timezone.localdate(now))
    found: list[Due] = []
    for schedule in RetentionSchedule.objects.filter(organisation=organisation).order_by("pk"):
        record_type = known.get(schedule.record_type)
        if record_type is not None and schedule.start_event in record_type.start_events:
            found.extend(_due_for(schedule, record_type, now, held))
    found.sort(key=lambda due: (due.due_on, due.record_type.name, due.row_id))
    return found
