"""The statistical copy of a survivor: sex, gender identity, age group (at the violation and
now), country. Unencrypted on purpose, so counts can be disaggregated in SQL and survive
anonymisation; coarse on purpose (groups, not dates), so that a row alone does not identify.
Displayed counts suppress small cells (``JUSTICEWORK_SURVIVORS_MIN_CELL``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

UNKNOWN = "unknown"
PREFER_NOT = "prefer_not"


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INTERSEX = "intersex", _("Intersex")
    UNKNOWN = UNKNOWN, _("Unknown")
    PREFER_NOT = PREFER_NOT, _("Prefer not to say")


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Another identity")
    UNKNOWN = UNKNOWN, _("Unknown")
    PREFER_NOT = PREFER_NOT, _("Prefer not to say")


class AgeGroup(models.TextChoices):
    """The GBVIMS age groups."""

    CHILD_0_11 = "0-11", _("0 to 11")
    CHILD_12_17 = "12-17", _("12 to 17")
    ADULT_18_25 = "18-25", _("18 to 25")
    ADULT_26_40 = "26-40", _("26 to 40")
    ADULT_41_60 = "41-60", _("41 to 60")
    ADULT_61 = "61+", _("61 and over")
    UNKNOWN = UNKNOWN, _("Unknown")
    PREFER_NOT = PREFER_NOT, _("Prefer not to say")


def age_group(years: int | None) -> str:
    if years is None or years < 0:
        return UNKNOWN
    for bound, group in ((11, "0-11"), (17, "12-17"), (25, "18-25"), (40, "26-40"), (60, "41-60")):
        if years <= bound:
            return group
    return "61+"


class SurvivorStatistics(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    file = models.OneToOneField(
        "survivors.SurvivorFile", on_delete=models.CASCADE, related_name="statistics"
    )
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, default=UNKNOWN)
    gender_identity = models.CharField(
        _("gender identity"), max_length=12, choices=GenderIdentity.choices, default=UNKNOWN
    )
    age_group_then = models.CharField(
        _("age group at the violation"), max_length=12, choices=AgeGroup.choices, default=UNKNOWN
    )
    age_group_now = models.CharField(
        _("age group now"), max_length=12, choices=AgeGroup.choices, default=UNKNOWN
    )
    #: ISO 3166 alpha-2, or ""
    country = models.CharField(_("country"), max_length=2, blank=True)
    #: the day "now" refers to (the age group now is as of this day)
    recorded_on = models.DateField(_("recorded on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("survivor statistics")
        verbose_name_plural = _("survivor statistics")
        indexes = [models.Index(fields=["organisation", "sex"], name="survivor_stats_org")]

    def __str__(self) -> str:
        return f"stats:{self.file_id}"
