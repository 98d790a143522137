"""Writes to applications: starting one, its details, answers and co-applicants, submitting and
withdrawing. One function per change, atomic, policy-checked (``actor=None`` is the system: demo,
commands) and audited in the applicant organisation's log. The budget and the attachments are in
``actions_application_budget`` and ``actions_application_files``.

Status changes tell the applicant's members on the application's page and by e-mail through
the task worker (:func:`notify_status`, ``grants.notices``); the eligibility, decision, money
and call actions tell them of their own events through ``grants.notices``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core import policy
from justicework.core.models import User
from justicework.grants import application_answers as answers_rules
from justicework.grants.actions_application_budget import recompute, snapshot
from justicework.grants.fields import language_codes, validate_currency
from justicework.grants.models import Application, Attachment, Call, LegalEntity, Question
from justicework.grants.rules_applications import DECIDED, WITHDRAWABLE

S = Application.Status
#: what the applicant may change with :func:`update_application` (the rate: the budget's actions)
DETAIL_FIELDS = ("title", "language")


def require(actor: User | None, action: str, obj: Any) -> None:
    if actor is not None:
        policy.require(actor, action, obj)


def audit(actor: User | None, event: str, application: Application, diff: dict[str, Any]) -> None:
    record(
        actor,
        f"grants.application.{event}",
        application,
        diff=diff,
        organisation_id=application.applicant.organisation_id,
    )


def notify_status(application: Application) -> None:
    """Tell the applicant's members that the status changed (the page, and an e-mail once the
    transaction commits); the other events have their own kinds in ``grants.notices``."""
    from justicework.grants import notices

    notices.tell(application, notices.K.STATUS)


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def applicant_zone(user: User | None, call: Call) -> ZoneInfo:
    """The zone an applicant reads times in: their profile's, if they set one, else the call's."""
    return zone_named(str(getattr(user, "time_zone", "") or call.time_zone or "UTC"))


def shown(moment: dt.datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"


def _check_open(call: Call, now: dt.datetime) -> None:
    if call.status != Call.Status.PUBLISHED or not call.opens_at <= now < call.closes_at:
        raise ValidationError({"call": _("This call is not open for applications.")})


def _check_one_proposal(call: Call, entity: LegalEntity) -> None:
    if not call.one_proposal_per_applicant:
        return
    taken = Application.objects.filter(call=call, applicant=entity).exclude(status=S.WITHDRAWN)
    if taken.exists():
        raise ValidationError(
            {"call": _("%(entity)s already has an application to this call (one per applicant).")
             % {"entity": entity.legal_name}}
        )  # fmt: skip


def _check_details(title: str, language: str) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the application a title.")
    elif len(title.strip()) > 300:
        errors["title"] = _("At most 300 characters.")
    if language not in language_codes():
        errors["language"] = _("%(code)r is not one of the languages %(known)s.") % {
            "code": language,
            "known": ", ".join(language_codes()),
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def start_application(
    actor: User | None,
    entity: LegalEntity,
    call: Call,
    *,
    title: str,
    language: str = "en",
    currency: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """A draft application of ``entity`` to ``call`` (published, open now), in the call's
    currency unless another is given (the rate is then stated with the budget)."""
    require(actor, "apply", entity)
    call = Call.objects.select_for_update().get(pk=call.pk)  # numbers the call's applications
    _check_open(call, now or timezone.now())
    _check_one_proposal(call, entity)
    _check_details(title, language)
    currency = (currency or call.currency).upper()
    try:
        validate_currency(currency)
    except ValidationError as exc:
        raise ValidationError({"currency": exc.messages}) from None
    number = Application.objects.filter(call=call).count() + 1
    application = Application.objects.create(
        call=call, applicant=entity, reference=f"{call.reference}-{number:04d}",
        title=title.strip(), language=language, currency=currency, created_by=actor,
    )  # fmt: skip
    audit(actor, "started", application, snapshot(application))
    return application


@transaction.atomic
def update_application(actor: User | None, application: Application, **changes: Any) -> None:
    """The title and the language of a draft."""
    require(actor, "change", application)
    unknown = sorted(set(changes) - set(DETAIL_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    before = snapshot(application)
    title = str(changes.get("title", application.title))
    language = str(changes.get("language", application.language))
    _check_details(title, language)
    application.title, application.language = title.strip(), language
    application.updated_at = timezone.now()
    application.save(update_fields=["title", "language", "updated_at"])
    audit(actor, "updated", application, diff_fields(before, snapshot(application)))


def questions_of(call: Call) -> list[Question]:
    return list(Question.objects.filter(call=call).order_by("order", "pk"))


@transaction.atomic
def save_answers(actor: User | None, application: Application, given: dict[str, Any]) -> bool:
    """Save some answers of a draft (a partial save; a blank answer clears it). Every wrong
    answer is reported at once, each naming its question, and nothing is saved then. False
    when nothing changed (nothing is written or audited)."""
    require(actor, "change", application)
    cleaned, cleared = answers_rules.clean_answers(questions_of(application.call), given)
    answers = dict(application.answers)
    answers.update(cleaned)
    for code in cleared:
        answers.pop(code, None)
    changed = sorted(c for c in set(answers) | set(application.answers)
                     if answers.get(c) != application.answers.get(c))  # fmt: skip
    if not changed:
        return False
    application.answers = answers
    application.updated_at = timezone.now()
    application.save(update_fields=["answers", "updated_at"])
    # the codes only: the answers are the applicant's text, kept in the record itself
    audit(actor, "answers_saved", application, {"questions": changed})
    return True


@transaction.atomic
def set_co_applicants(
    actor: User | None, application: Application, entities: Iterable[LegalEntity]
) -> None:
    """The co-applicants of a draft: other registered legal entities."""
    require(actor, "change", application)
    chosen = sorted({entity.pk for entity in entities})
    if application.applicant_id in chosen:
        raise ValidationError({"co_applicants": _("The applicant cannot be its own co-applicant.")})
    found = set(LegalEntity.objects.filter(pk__in=chosen).values_list("pk", flat=True))
    if found != set(chosen):
        raise ValidationError({"co_applicants": _("Choose registered organisations only.")})
    before = sorted(application.co_applicants.values_list("pk", flat=True))
    if before == chosen:
        return
    application.co_applicants.set(chosen)
    audit(actor, "co_applicants_set", application, {"co_applicants": [before, chosen]})


def problems(application: Application) -> list[str]:
    """What stops the application from being submitted (empty: complete)."""
    found = [
        _("Answer the question %(question)s.") % {"question": answers_rules.label(question)}
        for question in answers_rules.missing(questions_of(application.call), application.answers)
    ]
    if not application.budget_lines.exists():
        found.append(_("Add at least one budget line."))
    call = application.call
    if not call.amount_min <= application.requested_amount <= call.amount_max:
        found.append(
            _("The amount requested (%(amount)s %(currency)s) must be between %(min)s and "
              "%(max)s %(currency)s.") % {"amount": application.requested_amount,
              "currency": call.currency, "min": call.amount_min, "max": call.amount_max}
        )  # fmt: skip
    if not application.attachments.filter(kind=Attachment.Kind.DECLARATION).exists():
        found.append(_("Attach the declaration of honour."))
    return found


def _check_deadline(actor: User | None, call: Call, now: dt.datetime) -> None:
    if now < call.closes_at and call.status == Call.Status.PUBLISHED:
        return
    zone = applicant_zone(actor, call)
    raise ValidationError(
        {"submitted_at": _("The call closed at %(deadline)s; it is now %(now)s. Late "
                           "applications cannot be submitted.")
         % {"deadline": shown(call.closes_at, zone), "now": shown(now, zone)}}
    )  # fmt: skip


@transaction.atomic
def submit_application(
    actor: User | None, application: Application, *, now: dt.datetime | None = None
) -> None:
    """Submit a complete draft before the call closes; every missing part is listed at once."""
    require(actor, "submit", application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    now = now or timezone.now()
    _check_deadline(actor, application.call, now)
    recompute(application)
    missing = problems(application)
    if missing:
        raise ValidationError({"status": missing})
    application.status, application.submitted_at, application.updated_at = S.SUBMITTED, now, now
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    audit(actor, "submitted", application, {"status": [S.DRAFT, S.SUBMITTED]})
    notify_status(application)


@transaction.atomic
def withdraw_application(
    actor: User | None, application: Application, *, now: dt.datetime | None = None
) -> None:
    """Withdraw an application (the applicant, until a decision)."""
    require(actor, "withdraw", application)
    before = application.status
    if before not in WITHDRAWABLE:
        raise ValidationError({"status": str(DECIDED)})
    now = now or timezone.now()
    application.status, application.withdrawn_at, application.updated_at = S.WITHDRAWN, now, now
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit(actor, "withdrawn", application, {"status": [before, S.WITHDRAWN]})
    notify_status(application)
