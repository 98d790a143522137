"""A saved search of the evidence list: its filters (``queries.Filters``, normalised by
``queries.normalise``) under a name, private to the person who saved it in one organisation.
A package can be made of it (``actions.packages.select_items``): the items are found through
the list's one query path when the package is built, not when the search was saved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedSearch(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="evidence_searches"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    #: the list's filters, normalised: {"sha256": ..., "media_type": ...}, empty ones left out
    filters = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved evidence search")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "owner", "name"], name="evidence_savedsearch_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
