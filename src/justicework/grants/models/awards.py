"""An award: the money a decision gives an application, in the call's currency and in the
programme's (where the per-recipient maximum is counted)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.grants.fields import validate_currency
from justicework.grants.models.applicants import LegalEntity
from justicework.grants.models.applications import Application
from justicework.grants.models.programmes import Call, Programme


class Award(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="awards")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="awards")
    legal_entity = models.ForeignKey(LegalEntity, on_delete=models.PROTECT, related_name="awards")
    amount = models.DecimalField(_("amount awarded"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    #: units of the programme's currency per unit of the call's, fixed at the decision
    rate_to_programme = models.DecimalField(default=1, max_digits=18, decimal_places=8)
    amount_programme = models.DecimalField(
        _("amount in the programme's currency"), max_digits=14, decimal_places=2
    )
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["programme", "legal_entity"], name="grants_award_entity"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.amount} {self.currency}"
