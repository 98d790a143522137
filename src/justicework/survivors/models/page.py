"""The one-time code that opens the survivor page (``views.survivor_page``).

A code reads ``LOOK-SECR-ETXX``: the first four characters find the row (``lookup``), the
other eight are the secret, kept only as a salted scrypt hash. Staff see a code once, when it
is issued; issuing a new one revokes the file's earlier codes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SurvivorPageCode(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    file = models.ForeignKey(
        "survivors.SurvivorFile", on_delete=models.PROTECT, related_name="page_codes"
    )
    #: the public part of the code: finds the row (and keys the per-code attempt limit)
    lookup = models.CharField(max_length=8, unique=True)
    #: ``scrypt$<salt hex>$<hash hex>`` of the secret part
    secret_hash = models.CharField(max_length=200)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("survivor page code")
        verbose_name_plural = _("survivor page codes")

    def __str__(self) -> str:
        return f"page-code:{self.pk}"

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class SurvivorPageSwitch(models.Model):
    """Whether an organisation offers the survivor page (off by default: no row is off). The
    instance must allow it too (``JUSTICEWORK_SURVIVORS_PAGE``). Off, no code can be issued
    and the organisation's codes open nothing (they are kept: turned on again, they work)."""

    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    enabled = models.BooleanField(_("survivor page on"), default=False)
    #: empty: set by the upgrade that introduced the switch (organisations with live codes)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("survivor page switch")
        verbose_name_plural = _("survivor page switches")

    def __str__(self) -> str:
        return f"page-switch:{self.organisation_id}:{'on' if self.enabled else 'off'}"
