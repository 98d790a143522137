"""A survivor file: opening one makes a ``violations.Person`` consent-managed.

Persons without a file (perpetrators, commanders, people named in open sources) are not
consent-gated: consent is a relation with a survivor the organisation is in contact with.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SurvivorFile(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    person = models.OneToOneField(
        "violations.Person", on_delete=models.PROTECT, related_name="survivor_file"
    )
    #: a child: consent is given by a guardian (recorded on each consent)
    is_child = models.BooleanField(_("child"), default=False)
    preferred_language = models.CharField(_("preferred language"), max_length=16, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)

    class Meta:
        verbose_name = _("survivor file")
        verbose_name_plural = _("survivor files")
        indexes = [models.Index(fields=["organisation", "opened_at"], name="survivor_file_org")]

    def __str__(self) -> str:
        return f"file:{self.person_id}"
