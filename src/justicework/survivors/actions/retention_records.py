"""What anonymising or deleting each survivors record type does (the handlers the registry's
``RecordType`` names). They run inside :func:`actions.retention.apply_retention`'s
transaction, which checks the policy and legal holds and writes the audit entry.

Anonymising a survivor file destroys the identity for good: every encrypted identity field of
the person (names, contacts, documents, date of birth, ...) becomes null and their blind
indexes (``PersonIndex``) are deleted, so neither the ciphertext (under a key the organisation
still holds) nor an HMAC that a later look-up could match remains. What is kept: the pseudonym
code, the person's links to incidents, the survivor file's dates, and the statistical copy
(``SurvivorStatistics``: sex, gender identity, age groups, country) — derived from the identity
first when nobody recorded it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.core import uses
from justicework.survivors.actions.retention_casework import anonymise_casework, delete_casework
from justicework.survivors.models import (
    Consent,
    ConsentDecision,
    LegalHold,
    SurvivorFile,
    SurvivorPageCode,
    SurvivorStatistics,
)
from justicework.survivors.models.statistics import UNKNOWN, age_group
from justicework.violations.models import Person, PersonIndex

_SEX = {"female": "female", "f": "female", "male": "male", "m": "male", "intersex": "intersex"}


def _years(person: Person, today: dt.date) -> int | None:
    if person.date_of_birth is not None:
        born: dt.date = person.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    age = person.age_range or {}
    low, high = age.get("min"), age.get("max")
    if low is not None and high is not None and age_group(low) == age_group(high):
        return int(low)
    return None


def keep_statistics(file: SurvivorFile) -> SurvivorStatistics:
    """The file's statistical copy, derived from the identity if nobody recorded one."""
    found = SurvivorStatistics.objects.filter(file=file).first()
    if found is not None:
        return found
    person = file.person
    today = timezone.localdate()
    countries = person.nationalities or []
    return SurvivorStatistics.objects.create(
        organisation_id=file.organisation_id,
        file=file,
        sex=_SEX.get((person.sex or "").strip().lower(), UNKNOWN),
        age_group_now=age_group(_years(person, today)),
        country=str(countries[0])[:2].upper() if countries else "",
        recorded_on=today,
    )


def anonymise_consent(consent: Consent) -> None:
    """The survivor's words and the interpreter's name go; the decisions (the gate's history)
    stay."""
    consent.conditions = None
    consent.interpreter = None
    consent.guardian_relationship = ""
    consent.save(update_fields=["conditions", "interpreter", "guardian_relationship"])


def delete_consent(consent: Consent) -> None:
    """The session and its decisions: the gate then finds none and refuses those uses."""
    ConsentDecision.objects.filter(consent=consent).delete()
    consent.delete()


def anonymise_file(file: SurvivorFile) -> None:
    keep_statistics(file)
    person = file.person
    for name in Person.IDENTITY_FIELDS:
        setattr(person, name, None)
    person.updated_at = timezone.now()
    person.save(update_fields=[*Person.IDENTITY_FIELDS, "updated_at"])
    PersonIndex.objects.filter(person=person).delete()
    for consent in Consent.objects.filter(file=file):
        anonymise_consent(consent)
    anonymise_casework(file)
    # A lifted hold's reason (a court's case reference) can name the survivor; when and by
    # whom it was set and lifted stay. (No hold is in force: the action checked.)
    for hold in LegalHold.objects.filter(file=file):
        hold.reason = None
        hold.save(update_fields=["reason"])
    # The survivor's code would still tie whoever holds it to the record: it goes too.
    SurvivorPageCode.objects.filter(file=file).delete()
    uses.forget(person.pk)


def delete_file(file: SurvivorFile) -> None:
    """The file, its consents, casework records (safety, interviews, participation,
    information, referrals, plan), page codes, statistics, past holds and the person. A person
    still linked to records other than their own (an incident's victim list, a testimony)
    cannot be deleted without deleting those: the caller's transaction is rolled back with the
    reason."""
    person = file.person
    delete_casework(file)
    SurvivorPageCode.objects.filter(file=file).delete()
    ConsentDecision.objects.filter(file=file).delete()
    Consent.objects.filter(file=file).delete()
    SurvivorStatistics.objects.filter(file=file).delete()
    LegalHold.objects.filter(file=file).delete()
    file.delete()
    try:
        person.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _(
                "The person is still linked to %(count)s other records; "
                "anonymise instead, or remove those links first."
            )
            % {"count": len(exc.protected_objects)}
        ) from exc
    uses.forget(person.pk)


def row_file_id(row: Any, path: str) -> int:
    value = row
    for part in path.split("__"):
        value = getattr(value, part)
    return int(value)
