"""An applicant's legal entity: one per registered organisation, found again across calls by its
country and registration number, so the per-recipient maximum and "one proposal per applicant"
are checked on the entity, not on an account."""

from __future__ import annotations

import re
import unicodedata

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.core.models import Organisation
from justicework.grants.fields import validate_codes
from justicework.grants.models.programmes import RecipientCategory


def identity_key(country: str, registration_number: str) -> str:
    """``UA:12345678`` from ``ua`` and ``№ 1234-5678``: the country and the number's letters and
    digits only, upper-cased (how registries print the same number varies)."""
    # the numero sign is a label, not part of the number (NFKC would make it "No")
    folded = unicodedata.normalize("NFKC", registration_number.replace("№", "")).upper()
    return f"{country.strip().upper()}:{re.sub(r'[^0-9A-Z]', '', folded)}"


class LegalEntity(models.Model):
    #: the applicant's organisation on the platform (kind "grantee"); its members apply
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="legal_entity"
    )
    legal_name = models.CharField(_("legal name"), max_length=300)
    legal_form = models.CharField(_("legal form"), max_length=40)
    country = models.CharField(_("country of registration"), max_length=2)
    registration_number = models.CharField(_("registration number"), max_length=80)
    #: :func:`identity_key`; unique, so one entity is one applicant whatever the account
    identity_key = models.CharField(max_length=90, unique=True)
    categories = models.JSONField(
        _("what describes the organisation"),
        default=list,
        blank=True,
        validators=[validate_codes],
        help_text=", ".join(str(c.label) for c in RecipientCategory),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["legal_name", "id"]
        verbose_name_plural = _("legal entities")

    def __str__(self) -> str:
        return self.legal_name
