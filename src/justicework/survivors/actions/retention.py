"""Retention actions: set a schedule, set and lift a legal hold, apply the schedules (or
say what applying would do: the dry run changes nothing). Audit entries name record types,
ids, periods and dates — never a name, a reason's text or any identity value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.survivors import retention_types
from justicework.survivors.models import (
    LegalHold,
    RetentionDone,
    RetentionSchedule,
    SurvivorFile,
)
from justicework.survivors.retention import Due, due_records, holds_in_force

MAX_PERIOD_DAYS = 365 * 100


@transaction.atomic
def set_retention_schedule(
    actor: User,
    organisation: Organisation,
    *,
    record_type: str,
    start_event: str,
    period_days: int,
    action: str,
) -> RetentionSchedule:
    """Create or replace the organisation's schedule for ``record_type``."""
    policy.require(actor, "manage_retention", organisation)
    known = retention_types.record_types()
    if record_type not in known:
        raise ValidationError({"record_type": _("Unknown record type.")})
    if start_event not in known[record_type].start_events:
        raise ValidationError({"start_event": _("This record type has no such event.")})
    if not 0 < int(period_days) <= MAX_PERIOD_DAYS:
        raise ValidationError({"period_days": _("Give a period between 1 and 36500 days.")})
    if action not in RetentionSchedule.Action.values:
        raise ValidationError({"action": _("Choose anonymise or delete.")})
    schedule, created = RetentionSchedule.objects.update_or_create(
        organisation=organisation,
        record_type=record_type,
        defaults={
            "start_event": start_event,
            "period_days": int(period_days),
            "action": action,
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
    )
    record(
        actor,
        "survivors.retention.schedule_set",
        schedule,
        organisation_id=organisation.pk,
        diff={
            "record_type": record_type,
            "start_event": start_event,
            "period_days": int(period_days),
            "action": action,
            "created": created,
        },
    )
    return schedule


@transaction.atomic
def set_legal_hold(
    actor: User, file: SurvivorFile, *, reason: str, ends_on: dt.date | None = None
) -> LegalHold:
    policy.require(actor, "manage_legal_hold", file)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the records must be kept.")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("Keep the reason under 1000 characters.")})
    if ends_on is not None and ends_on < timezone.localdate():
        raise ValidationError({"ends_on": _("The end of a hold cannot be in the past.")})
    hold = LegalHold.objects.create(
        organisation_id=file.organisation_id,
        file=file,
        reason=reason,
        set_by=actor,
        ends_on=ends_on,
    )
    record(
        actor,
        "survivors.legal_hold.set",
        hold,
        organisation_id=file.organisation_id,
        diff={"file": file.pk, "ends_on": ends_on.isoformat() if ends_on else None},
    )
    return hold


@transaction.atomic
def lift_legal_hold(actor: User, hold: LegalHold) -> LegalHold:
    policy.require(actor, "manage_legal_hold", hold.file)
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if locked.lifted_at is not None:
        raise ValidationError({"hold": _("This hold was already lifted.")})
    locked.lifted_by = actor
    locked.lifted_at = timezone.now()
    locked.save(update_fields=["lifted_by", "lifted_at"])
    record(
        actor,
        "survivors.legal_hold.lifted",
        locked,
        organisation_id=locked.organisation_id,
        diff={"file": locked.file_id, "set_at": locked.set_at.isoformat()},
    )
    return locked


@dataclass
class RetentionReport:
    dry_run: bool
    done: list[Due] = field(default_factory=list)  # applied (or, in a dry run, would be)
    held: list[Due] = field(default_factory=list)
    failed: list[tuple[Due, str]] = field(default_factory=list)
    #: records already gone when their turn came: deleted with their survivor file earlier in
    #: the same run (that deletion's audit entry covers them)
    gone: list[Due] = field(default_factory=list)


def _apply_one(actor: User | None, due: Due) -> bool | None:
    """Apply one record's schedule; False when a hold set since the review stops it, None
    when the record is gone (deleted with its file earlier in the run)."""
    schedule, record_type = due.schedule, due.record_type
    with transaction.atomic():
        holds = LegalHold.objects.select_for_update().filter(
            holds_in_force(schedule.organisation_id), file_id=due.file_id
        )
        if holds.exists():
            return False
        manager = record_type.model_class()._default_manager
        row = manager.select_for_update().filter(pk=due.row_id).first()
        if row is None:
            return None
        record_type.handler(schedule.action)(row)
        if schedule.action == RetentionSchedule.Action.ANONYMISE:
            RetentionDone.objects.create(
                organisation_id=schedule.organisation_id,
                record_type=record_type.name,
                record_id=due.row_id,
            )
        record(
            actor,
            f"survivors.retention.{schedule.action}",
            organisation_id=schedule.organisation_id,
            object_type=record_type.model.lower(),
            object_id=str(due.row_id),
            diff={
                "record_type": record_type.name,
                "schedule": schedule.pk,
                "start_event": schedule.start_event,
                "period_days": schedule.period_days,
                "file": due.file_id,
            },
        )
    return True


def apply_retention(
    actor: User | None,
    organisation: Organisation,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> RetentionReport:
    """Anonymise or delete every due record of ``organisation`` that no legal hold stops, one
    transaction per record (a failure names its reason and leaves that record as it was).
    ``actor`` None: the scheduled job (the platform acting, audited as such)."""
    if actor is not None:
        policy.require(actor, "manage_retention", organisation)
    report = RetentionReport(dry_run)
    for due in due_records(organisation, now):
        if due.held:
            report.held.append(due)
        elif dry_run:
            report.done.append(due)
        else:
            try:
                applied = _apply_one(actor, due)
            except ValidationError as exc:
                report.failed.append((due, " ".join(exc.messages)))
                record(
                    actor,
                    "survivors.retention.failed",
                    organisation_id=organisation.pk,
                    object_type=due.record_type.model.lower(),
                    object_id=str(due.row_id),
                    diff={"record_type": due.record_type.name, "action": due.schedule.action},
                )
                continue
            if applied is None:
                report.gone.append(due)
            else:
                (report.done if applied else report.held).append(due)
    return report
