"""Safety assessments of a survivor file, append-only: a new assessment supersedes the last
(the latest by id is the current one). The sensitive text — threats, safe contact, the
people who must never be told, the code word — is encrypted under the organisation's key."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.encryption.fields import EncryptedTextField

#: the encrypted fields: never loaded unless read through the audited action
SENSITIVE = ("threats", "contact_methods", "contact_times", "never_tell", "code_word")


class SafetyAssessment(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    file = models.ForeignKey(
        "survivors.SurvivorFile", on_delete=models.PROTECT, related_name="safety_assessments"
    )
    threats = EncryptedTextField(_("known threats"))
    contact_methods = EncryptedTextField(_("safe contact methods"))
    contact_times = EncryptedTextField(_("safe times to contact"))
    never_tell = EncryptedTextField(_("people who must never be told"))
    code_word = EncryptedTextField(_("code word"))
    #: whether threats are known (not secret in itself: it decides the warning's wording)
    has_threats = models.BooleanField(_("threats known"), default=False)
    review_on = models.DateField(_("review by"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("safety assessment")
        verbose_name_plural = _("safety assessments")

    def __str__(self) -> str:
        return f"safety:{self.pk}"

    @property
    def overdue(self) -> bool:
        return self.review_on < timezone.localdate()
