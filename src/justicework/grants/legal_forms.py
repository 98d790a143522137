"""The legal forms an applicant picks from and a call may restrict to (codes stored on the
call and the legal entity; the labels are translated)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    NGO = "ngo", _("Non-governmental organisation")
    ASSOCIATION = "association", _("Association")
    FOUNDATION = "foundation", _("Foundation")
    COOPERATIVE = "cooperative", _("Cooperative")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    FAITH_BASED = "faith_based", _("Faith-based organisation")
    INFORMAL_GROUP = "informal_group", _("Informal group (not registered)")
    OTHER = "other", _("Other non-profit form")
