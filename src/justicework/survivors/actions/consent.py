"""Recording consent and its withdrawal, use by use. Append-only: a decision is never changed;
a withdrawal is a new consent with one "withdrawn" decision, effective at once (the gate reads
the latest decision on every question)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy, uses
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.evidence.models import Item
from justicework.survivors import gate
from justicework.survivors.models import Consent, ConsentDecision, InformationSheet, SurvivorFile

A = ConsentDecision.Answer
#: How far ahead of the server's clock a consent may be dated (a phone's clock drifts).
CLOCK_SKEW = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Choice:
    """One use given or refused (``qualifier``: a named service, organisation or forum)."""

    scope: str
    given: bool
    qualifier: str = ""


@dataclass(frozen=True)
class How:
    """How the consent (or withdrawal) was given."""

    given_at: dt.datetime
    method: str
    language: str
    interpreter: str = ""
    given_by: str = Consent.GivenBy.SURVIVOR
    guardian_relationship: str = ""
    sheet: InformationSheet | None = None
    recording: Item | None = None
    conditions: str = ""


def _check_how(actor: User, file: SurvivorFile, how: How) -> dict[str, str]:
    errors: dict[str, str] = {}
    if timezone.is_naive(how.given_at):
        errors["given_at"] = _("Give the date with its time zone.")
    elif how.given_at > timezone.now() + CLOCK_SKEW:
        errors["given_at"] = _("The date is in the future.")
    if how.method not in Consent.Method.values:
        errors["method"] = _("Choose written, oral or recorded.")
    if how.method == Consent.Method.RECORDED and how.recording is None:
        errors["recording"] = _("A recorded consent needs the recording from the evidence vault.")
    if how.recording is not None and (
        how.recording.organisation_id != file.organisation_id
        or not policy.can(actor, "view", how.recording)
    ):
        errors["recording"] = _("The recording must be an evidence item you may open here.")
    if not how.language.strip() or len(how.language.strip()) > 16:
        errors["language"] = _("Give the language consent was taken in (e.g. en, ar).")
    if how.given_by not in Consent.GivenBy.values:
        errors["given_by"] = _("Choose the survivor or a parent or guardian.")
    elif file.is_child and how.given_by != Consent.GivenBy.GUARDIAN:
        errors["given_by"] = _("For a child, consent is given by a parent or guardian.")
    if how.given_by == Consent.GivenBy.GUARDIAN and not how.guardian_relationship.strip():
        errors["guardian_relationship"] = _("Say how the guardian is related to the child.")
    if how.sheet is not None and how.sheet.organisation_id != file.organisation_id:
        errors["sheet"] = _("The information sheet must be one of this organisation's.")
    if len(how.guardian_relationship) > 100 or len(how.interpreter) > 200:
        errors["interpreter"] = _("Keep names and relationships short (200 characters).")
    return errors


def _check_choices(choices: Sequence[Choice]) -> dict[str, str]:
    if not choices:
        return {"decisions": _("Record at least one use, given or refused.")}
    seen: set[tuple[str, str]] = set()
    for choice in choices:
        if choice.scope not in Scope.values:
            return {"decisions": _("Unknown use: %(scope)s.") % {"scope": choice.scope}}
        key = (choice.scope, choice.qualifier.strip())
        if len(key[1]) > 200:
            return {"decisions": _("Name a service, organisation or forum in 200 characters.")}
        if key in seen:
            return {
                "decisions": _("A use is given twice: %(use)s.") % {"use": gate.use_label(*key)}
            }
        seen.add(key)
    return {}


def _new_consent(actor: User, file: SurvivorFile, how: How) -> Consent:
    return Consent.objects.create(
        organisation_id=file.organisation_id,
        file=file,
        given_at=how.given_at,
        method=how.method,
        recording=how.recording,
        taken_by=actor,
        language=how.language.strip(),
        interpreter=how.interpreter.strip(),
        given_by=how.given_by,
        guardian_relationship=how.guardian_relationship.strip(),
        sheet=how.sheet,
        conditions=how.conditions.strip(),
        recorded_by=actor,
    )


def _diff(consent: Consent, decisions: list[ConsentDecision]) -> dict[str, Any]:
    """The audit diff: what was decided and how; never the survivor's words."""
    return {
        "file": consent.file_id,
        "decisions": [[d.scope, d.qualifier, d.answer] for d in decisions],
        "method": consent.method,
        "given_by": consent.given_by,
        "sheet": consent.sheet_id,
        "recording": consent.recording_id,
        "has_conditions": bool(consent.conditions),
    }


@transaction.atomic
def record_consent(actor: User, file: SurvivorFile, how: How, choices: Sequence[Choice]) -> Consent:
    """Record one occasion of consent: each use in ``choices`` given or refused."""
    policy.require(actor, "record_consent", file)
    errors = _check_how(actor, file, how) | _check_choices(choices)
    if errors:
        raise ValidationError(errors)
    consent = _new_consent(actor, file, how)
    decisions = ConsentDecision.objects.bulk_create(
        ConsentDecision(
            consent=consent,
            file=file,
            scope=c.scope,
            qualifier=c.qualifier.strip(),
            answer=A.GIVEN if c.given else A.REFUSED,
        )
        for c in choices
    )
    record(
        actor,
        "survivors.consent.recorded",
        consent,
        organisation_id=file.organisation_id,
        diff=_diff(consent, decisions),
    )
    uses.forget(file.person_id)
    return consent


@transaction.atomic
def withdraw_consent(
    actor: User, file: SurvivorFile, how: How, scope: str, qualifier: str = ""
) -> Consent:
    """Withdraw one use, effective at once. Only a use currently given can be withdrawn."""
    policy.require(actor, "record_consent", file)
    errors = _check_how(actor, file, how) | _check_choices([Choice(scope, False, qualifier)])
    if errors:
        raise ValidationError(errors)
    qualifier = qualifier.strip()
    SurvivorFile.objects.select_for_update().filter(pk=file.pk).first()  # one withdrawal at once
    state = gate.current_state(file.person_id, scope, qualifier)
    if state is None or not state.allowed:
        raise ValidationError(
            {
                "scope": _("There is no consent to withdraw for %(use)s.")
                % {"use": gate.use_label(scope, qualifier)}
            }
        )
    consent = _new_consent(actor, file, how)
    decision = ConsentDecision.objects.create(
        consent=consent, file=file, scope=scope, qualifier=qualifier, answer=A.WITHDRAWN
    )
    record(
        actor,
        "survivors.consent.withdrawn",
        consent,
        organisation_id=file.organisation_id,
        diff=_diff(consent, [decision]),
    )
    uses.forget(file.person_id)
    return consent
