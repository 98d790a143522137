"""Recording a survivor's participation wishes (a new version each time) and applications for
victim status (a new row per change of state). Append-only; the audit diff says what changed
in kind (forums, status, which fields are filled), never the names or measures themselves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.survivors.models import (
    Forum,
    ParticipationWish,
    SurvivorFile,
    VictimStatusApplication,
)

TEXT_FIELDS = (
    "legal_representative",
    "measures_requested",
    "measures_granted",
    "reparations_sought",
    "reparations_received",
)
#: the longest free text kept per field
TEXT_MAX = 4000


@dataclass(frozen=True)
class Wish:
    take_part: str
    forums: tuple[str, ...] = ()
    forum_other: str = ""
    texts: dict[str, str] = field(default_factory=dict)


def _check_forums(forums: tuple[str, ...], other: str) -> dict[str, str]:
    unknown = [f for f in forums if f not in Forum.values]
    if unknown:
        return {"forums": _("Unknown forum: %(forum)s.") % {"forum": unknown[0]}}
    if len(set(forums)) != len(forums):
        return {"forums": _("A forum is named twice.")}
    if Forum.OTHER in forums and not other.strip():
        return {"forum_other": _("Name the other forum.")}
    if other.strip() and Forum.OTHER not in forums:
        return {"forum_other": _("Choose “Other” to name another forum.")}
    if len(other) > 200:
        return {"forum_other": _("Name the forum in 200 characters.")}
    return {}


def _check_wish(wish: Wish) -> dict[str, str]:
    errors: dict[str, str] = {}
    if wish.take_part not in ParticipationWish.TakePart.values:
        errors["take_part"] = _("Choose whether the survivor wants to take part.")
    errors |= _check_forums(wish.forums, wish.forum_other)
    for name, text in wish.texts.items():
        if name not in TEXT_FIELDS:
            errors[name] = _("Unknown field: %(name)s.") % {"name": name}
        elif len(text) > TEXT_MAX:
            errors[name] = _("Keep this to %(n)s characters.") % {"n": TEXT_MAX}
    return errors


@transaction.atomic
def record_participation(actor: User, file: SurvivorFile, wish: Wish) -> ParticipationWish:
    """A new version of the survivor's participation wishes (the previous ones stay)."""
    policy.require(actor, "record_participation", file)
    errors = _check_wish(wish)
    if errors:
        raise ValidationError(errors)
    SurvivorFile.objects.select_for_update().filter(pk=file.pk).first()  # versions in order
    last = ParticipationWish.objects.filter(file=file).aggregate(v=Max("version"))["v"] or 0
    texts = {name: wish.texts.get(name, "").strip() for name in TEXT_FIELDS}
    row = ParticipationWish.objects.create(
        organisation_id=file.organisation_id,
        file=file,
        version=last + 1,
        take_part=wish.take_part,
        forums=list(wish.forums),
        forum_other=wish.forum_other.strip(),
        recorded_by=actor,
        **texts,
    )
    record(
        actor,
        "survivors.participation.recorded",
        row,
        organisation_id=file.organisation_id,
        diff={
            "file": file.pk,
            "version": row.version,
            "take_part": row.take_part,
            "forums": row.forums,
            "filled": sorted(name for name, text in texts.items() if text),
        },
    )
    return row


@dataclass(frozen=True)
class Application:
    forum: str
    status: str
    forum_other: str = ""
    reference: str = ""
    applied_on: dt.date | None = None
    decided_on: dt.date | None = None


def _check_application(app: Application) -> dict[str, str]:
    errors = _check_forums((app.forum,), app.forum_other)
    S = VictimStatusApplication.Status
    if app.status not in S.values:
        errors["status"] = _("Choose the status of the application.")
    today = timezone.localdate()
    if app.applied_on and app.applied_on > today:
        errors["applied_on"] = _("The date is in the future.")
    if app.decided_on and app.decided_on > today:
        errors["decided_on"] = _("The date is in the future.")
    if app.applied_on and app.decided_on and app.decided_on < app.applied_on:
        errors["decided_on"] = _("The decision cannot be before the application.")
    if app.status in (S.GRANTED, S.REFUSED) and app.decided_on is None:
        errors["decided_on"] = _("Give the date of the decision.")
    if len(app.reference) > 100:
        errors["reference"] = _("Keep the reference to 100 characters.")
    return errors


@transaction.atomic
def record_application(
    actor: User,
    file: SurvivorFile,
    app: Application,
    supersedes: VictimStatusApplication | None = None,
) -> VictimStatusApplication:
    """A new application for victim status, or (``supersedes``) a new state of one."""
    policy.require(actor, "record_participation", file)
    errors = _check_application(app)
    if supersedes is not None:
        locked = VictimStatusApplication.objects.select_for_update().get(pk=supersedes.pk)
        if locked.file_id != file.pk:
            errors["supersedes"] = _("This application belongs to another survivor file.")
        elif VictimStatusApplication.objects.filter(supersedes=locked).exists():
            errors["supersedes"] = _("This state was already updated; update the latest one.")
    if errors:
        raise ValidationError(errors)
    row = VictimStatusApplication.objects.create(
        organisation_id=file.organisation_id,
        file=file,
        supersedes=supersedes,
        forum=app.forum,
        forum_other=app.forum_other.strip(),
        reference=app.reference.strip(),
        status=app.status,
        applied_on=app.applied_on,
        decided_on=app.decided_on,
        recorded_by=actor,
    )
    record(
        actor,
        "survivors.victim_status.recorded",
        row,
        organisation_id=file.organisation_id,
        diff={
            "file": file.pk,
            "supersedes": supersedes.pk if supersedes else None,
            "forum": row.forum,
            "status": row.status,
        },
    )
    return row
