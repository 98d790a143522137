"""Logging information given back to a survivor. Append-only; the audit diff says how and
when, never what was said."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.survivors.actions.consent import CLOCK_SKEW
from justicework.survivors.models import InformationGiven, SurvivorFile

WHAT_MAX = 4000


def _check(what: str, given_at: dt.datetime, how: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not what.strip():
        errors["what"] = _("Say what the survivor was told.")
    elif len(what) > WHAT_MAX:
        errors["what"] = _("Keep this to %(n)s characters.") % {"n": WHAT_MAX}
    if timezone.is_naive(given_at):
        errors["given_at"] = _("Give the date with its time zone.")
    elif given_at > timezone.now() + CLOCK_SKEW:
        errors["given_at"] = _("The date is in the future.")
    if how not in InformationGiven.How.values:
        errors["how"] = _("Choose how the information was given.")
    return errors


@transaction.atomic
def record_information(
    actor: User, file: SurvivorFile, *, what: str, given_at: dt.datetime, how: str,
    for_survivor: bool = False,
) -> InformationGiven:  # fmt: skip
    """One entry of the log: ``actor`` gave the information (``what``) at ``given_at``."""
    policy.require(actor, "record_information", file)
    errors = _check(what, given_at, how)
    if errors:
        raise ValidationError(errors)
    entry = InformationGiven.objects.create(
        organisation_id=file.organisation_id,
        file=file,
        what=what.strip(),
        given_at=given_at,
        how=how,
        given_by=actor,
        for_survivor=for_survivor,
    )
    record(
        actor,
        "survivors.information.recorded",
        entry,
        organisation_id=file.organisation_id,
        diff={"file": file.pk, "how": how, "for_survivor": for_survivor},
    )
    return entry
