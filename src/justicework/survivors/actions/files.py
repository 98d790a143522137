"""Opening a survivor file: from then on the person is consent-managed (every use of their
data needs their current consent)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy, uses
from justicework.core.models import User
from justicework.survivors.models import SurvivorFile
from justicework.violations.models import Person


@transaction.atomic
def open_survivor_file(
    actor: User, person: Person, *, is_child: bool = False, preferred_language: str = ""
) -> SurvivorFile:
    """Open the file of ``person`` (one per person). The caller fetched ``person`` through the
    policy; the actor needs ``open`` on the would-be file."""
    policy.require(actor, "open", SurvivorFile(organisation_id=person.organisation_id))
    if SurvivorFile.objects.filter(person=person).exists():
        raise ValidationError({"person": _("This person already has a survivor file.")})
    language = preferred_language.strip()
    if len(language) > 16:
        raise ValidationError({"preferred_language": _("Use a language code (e.g. en, ar).")})
    file = SurvivorFile.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        is_child=is_child,
        preferred_language=language,
        opened_by=actor,
    )
    record(
        actor,
        "survivors.file.opened",
        file,
        organisation_id=person.organisation_id,
        diff={"person": person.pk, "is_child": is_child},
    )
    uses.forget(person.pk)
    return file
