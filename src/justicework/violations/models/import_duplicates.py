"""Likely duplicate persons an import's dry run found (issue 11): a row of the file that may be
the same person as an earlier row, or as a stored person. No identity value is stored: the row
numbers, the matched person and the names of the fields that matched."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportDuplicate(models.Model):
    run = models.ForeignKey(
        "dataio.ImportRun", on_delete=models.CASCADE, related_name="duplicate_flags"
    )
    row = models.BigIntegerField()
    #: An earlier row of the same file (within-file duplicate), or null.
    other_row = models.BigIntegerField(null=True, blank=True)
    #: A stored person of the organisation (disclosed by code only to who may open it), or null.
    person = models.ForeignKey(
        "violations.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    #: The fields that matched, comma-separated names (``duplicates.matched_fields``).
    fields = models.CharField(_("matched fields"), max_length=100)

    class Meta:
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["run", "row"])]

    def __str__(self) -> str:
        return f"row {self.row}: {self.fields}"


class ImportDuplicateDecision(models.Model):
    """What the user decided for a flagged row of an import's dry run (issue 11): link the row's
    victim to a stored person (``person``), to the person of an earlier row of the same file
    (``other_row``), or keep it a new person (neither). A row without a decision stays new.
    Checked against the run's flags when taken and again when the run is committed
    (``violations.import_decisions``)."""

    run = models.ForeignKey(
        "dataio.ImportRun", on_delete=models.CASCADE, related_name="duplicate_decisions"
    )
    row = models.BigIntegerField()
    person = models.ForeignKey(
        "violations.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    other_row = models.BigIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["row"]
        constraints = [
            models.UniqueConstraint(fields=["run", "row"], name="import_decision_once_per_row"),
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) | models.Q(other_row__isnull=True),
                name="import_decision_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"row {self.row}"
