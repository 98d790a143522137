"""Sources (testimony, document, media, open-source item, official record) with the
Admiralty-style reliability (A to F) and credibility (1 to 6).
"""

from __future__ import annotations

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.violations.dates import DatePrecision as DatePrecision
from justicework.violations.models.incidents import Incident
from justicework.violations.models.persons import Person
from justicework.violations.models.violations import Violation
from justicework.violations.vocabularies import VocabularyValidator


class Source(models.Model):
    """Where information comes from, graded on the Admiralty scale: reliability of the source
    (A to F) and credibility of the information (1 to 6)."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="sources"
    )
    kind = models.CharField(
        _("type of source"), max_length=40, validators=[VocabularyValidator("source_types")]
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    reliability = models.CharField(
        _("reliability of the source"),
        max_length=1,
        default="F",
        validators=[VocabularyValidator("source_reliability")],
    )
    credibility = models.CharField(
        _("credibility of the information"),
        max_length=1,
        default="6",
        validators=[VocabularyValidator("information_credibility")],
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    url = models.URLField(_("address (open source)"), max_length=1000, blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources_given",
        verbose_name=_("person who gave it"),
    )
    incidents = models.ManyToManyField(Incident, blank=True, related_name="sources")
    violations = models.ManyToManyField(Violation, blank=True, related_name="sources")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.language:
            lang = self.language.split("-")[0]
            if (
                pycountry.languages.get(alpha_2=lang) is None
                and pycountry.languages.get(alpha_3=lang) is None
            ):
                raise ValidationError(
                    {"language": _("%(code)r is not an ISO 639 language code.") % {"code": lang}}
                )

    @property
    def grade(self) -> str:
        """The combined grade, e.g. ``B2``."""
        return f"{self.reliability}{self.credibility}"
