"""Recording a survivor's statistical data (sex, gender identity, age groups, country): the
unencrypted, coarse copy that counts are disaggregated by and that outlives anonymisation.
The audit names the fields changed, not their values."""

from __future__ import annotations

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import User
from justicework.survivors.models import SurvivorFile, SurvivorStatistics
from justicework.survivors.models.statistics import AgeGroup, GenderIdentity, Sex

_CHOICES = {
    "sex": Sex,
    "gender_identity": GenderIdentity,
    "age_group_then": AgeGroup,
    "age_group_now": AgeGroup,
}
FIELDS = (*_CHOICES, "country")


def _clean(values: dict[str, str]) -> dict[str, str]:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for name, value in values.items():
        value = (value or "").strip()
        if name == "country":
            value = value.upper()
            if value and pycountry.countries.get(alpha_2=value) is None:
                errors[name] = _("Use a two-letter country code (ISO 3166), e.g. UA.")
        elif value not in _CHOICES[name].values:
            errors[name] = _("Choose one of the listed values.")
        clean[name] = value
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def record_statistics(actor: User, file: SurvivorFile, **values: str) -> SurvivorStatistics:
    """Set the given statistical fields of ``file`` (the others keep their value)."""
    policy.require(actor, "record_statistics", file)
    clean = _clean(values)
    stats, created = SurvivorStatistics.objects.get_or_create(
        file=file, defaults={"organisation_id": file.organisation_id}
    )
    changed = sorted(name for name, value in clean.items() if getattr(stats, name) != value)
    for name, value in clean.items():
        setattr(stats, name, value)
    stats.recorded_by = actor
    stats.recorded_on = timezone.localdate()
    stats.save()
    record(
        actor,
        "survivors.statistics.recorded",
        stats,
        organisation_id=file.organisation_id,
        diff={"file": file.pk, "fields": changed, "created": created},
    )
    return stats
