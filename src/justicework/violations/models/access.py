"""Requests for need-to-know on a person's identity: a member asks with a reason, the
organisation's deciders (``identity.requests``: admins and support coordinators) approve with an
expiry or refuse with a reason. An approval creates the ``AccessGrant``; the request keeps the
decision so the requester sees the outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.violations.models.persons import Person


class IdentityAccessRequest(models.Model):
    """One member's request to open one person's identity, and its decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="access_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    grant = models.ForeignKey(
        "core.AccessGrant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("identity access request")
        verbose_name_plural = _("identity access requests")
        indexes = [
            models.Index(fields=["organisation", "status", "created_at"], name="access_req_queue")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "requester"],
                condition=models.Q(status="pending"),
                name="access_req_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} → {self.person_id} ({self.status})"
