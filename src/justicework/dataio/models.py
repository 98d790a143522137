"""Saved mappings, import runs, their row errors, and the stable keys of imported rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.core.models import Organisation
from justicework.dataio.errors import IllegalTransition as IllegalTransition


class FileFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")
    KOBO = "kobo", _("KoboToolbox / ODK submissions (JSON)")


class Mapping(models.Model):
    """A saved column mapping: which source column (or form field) fills which target field.

    ``spec`` is validated by :func:`justicework.dataio.mapping.MappingSpec.from_dict`; see
    docs/import-export.md for its format.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_mappings"
    )
    kind = models.CharField(_("what it imports"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    file_format = models.CharField(_("file format"), max_length=10, choices=FileFormat.choices)
    spec = models.JSONField(_("mapping"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "name"], name="dataio_one_mapping_name_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """One uploaded file going through dry run and commit.

    Its status changes only through :meth:`move_to`, along :data:`TRANSITIONS`.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Checking")
        VALID = "valid", _("Checked: no errors")
        INVALID = "invalid", _("Checked: errors found")
        COMMITTING = "committing", _("Importing")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Stopped by an error")

    class Mode(models.TextChoices):
        ATOMIC = "atomic", _("All or nothing")
        RESUMABLE = "resumable", _("Resumable (complete chunks are kept)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_runs"
    )
    kind = models.CharField(max_length=40)
    mapping = models.ForeignKey(Mapping, on_delete=models.SET_NULL, null=True, blank=True)
    file_format = models.CharField(max_length=10, choices=FileFormat.choices)
    filename = models.CharField(max_length=255, blank=True)
    stored_path = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.BigIntegerField(default=0)
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.ATOMIC)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.BigIntegerField(default=0)
    processed_rows = models.BigIntegerField(default=0)
    created_rows = models.BigIntegerField(default=0)
    skipped_rows = models.BigIntegerField(default=0)
    error_count = models.BigIntegerField(default=0)
    #: A file-level problem (encoding, missing columns, truncated file, size) in plain words.
    problem = models.TextField(blank=True)
    #: The mapping spec that was validated, so a commit uses exactly what the dry run checked.
    validated_spec = models.JSONField(null=True, blank=True)
    #: The key namespace and the key columns the run's rows were keyed with (set when the
    #: run is checked or imported): a mapping that keys the same namespace otherwise is
    #: refused (``dataio.namespaces``).
    namespace = models.CharField(max_length=200, blank=True, default="", db_default="")
    key_columns = models.JSONField(null=True, blank=True)
    #: Rows of the file already imported whose mapped values differ (the dry run; each one is a
    #: :class:`RowChange`). ``skipped_rows - changed_rows`` are unchanged.
    changed_rows = models.BigIntegerField(default=0, db_default=0)
    progress_id = models.CharField(max_length=64, blank=True)
    #: The process checking or committing the run (``dataio.liveness``: host, pid and start
    #: marker), so a run whose process was killed can be told from one still running.
    owner = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.kind} import #{self.pk} ({self.status})"

    def move_to(self, status: str, *, expect: dict[str, Any] | None = None, **fields: Any) -> bool:
        """Move the run to ``status`` and write ``fields`` with it, in one conditional UPDATE
        that holds only if the stored status may lead to ``status`` (:data:`TRANSITIONS`) and
        the stored row matches ``expect`` (a race guard). The instance is updated too.

        Returns False when ``expect`` no longer matches; raises :class:`IllegalTransition` (and
        changes nothing) when the stored status may not lead to ``status``."""
        sources = [old for old, new in TRANSITIONS.items() if status in new]
        if status not in self.Status.values:
            raise IllegalTransition(f"import run #{self.pk}: unknown status {status!r}")
        changed = (
            ImportRun.objects.filter(pk=self.pk, status__in=sources, **(expect or {}))
            .update(status=status, **fields)
        )  # fmt: skip
        if not changed:
            current = ImportRun.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if current is None or current not in sources:
                raise IllegalTransition(
                    f"import run #{self.pk} cannot go from {current!r} to {status!r}"
                )
            return False
        for name, value in {"status": status, **fields}.items():
            setattr(self, name, value)
        return True


_S = ImportRun.Status
#: The status each status may lead to. A check may be started again (or its mapping changed)
#: until the run commits; a commit may start from any settled state (a committed run re-run
#: skips its rows; ``import_file`` starts committing at once), and ends committed, invalid
#: (all-or-nothing rolled back) or failed; a run whose process ended, or whose upload was
#: purged, fails.
TRANSITIONS: dict[str, frozenset[str]] = {
    _S.UPLOADED: frozenset({_S.UPLOADED, _S.VALIDATING, _S.COMMITTING, _S.FAILED}),
    _S.VALIDATING: frozenset({_S.UPLOADED, _S.VALIDATING, _S.VALID, _S.INVALID, _S.FAILED}),
    _S.VALID: frozenset({_S.UPLOADED, _S.VALIDATING, _S.COMMITTING, _S.FAILED}),
    _S.INVALID: frozenset({_S.UPLOADED, _S.VALIDATING, _S.COMMITTING, _S.FAILED}),
    _S.COMMITTING: frozenset({_S.COMMITTING, _S.COMMITTED, _S.INVALID, _S.FAILED}),
    _S.COMMITTED: frozenset({_S.COMMITTING}),
    _S.FAILED: frozenset({_S.UPLOADED, _S.VALIDATING, _S.COMMITTING, _S.FAILED}),
}


class RowError(models.Model):
    """One bad row (or a file-level problem, row 0) found by a dry run."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="row_errors")
    row = models.BigIntegerField()
    column = models.CharField(max_length=200, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["run", "row"])]

    def __str__(self) -> str:
        return f"row {self.row} {self.column}: {self.reason}"


class ImportedRow(models.Model):
    """The stable key of a row that was imported: a re-run skips rows whose key is here.

    ``key_hash`` is SHA-256 of the mapping's key namespace and the row's key values, so no source
    value (which may be an identity) is stored in clear.
    """

    # No index of its own: the unique (organisation, kind, key_hash) index leads with it.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, related_name="+")
    #: A hash of the row's mapped values as imported (or as last updated by a re-import), so
    #: a corrected release tells changed rows from unchanged ones without reading the records
    #: (``dataio.reimport``). Empty for rows imported before it existed, and for the keys
    #: schemas keep of their own (incident references, units).
    content_hash = models.CharField(max_length=32, blank=True, default="", db_default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "key_hash"], name="dataio_row_imported_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key_hash[:12]} → {self.object_id}"


class RowChange(models.Model):
    """A row of a run's file that was imported before and whose mapped values differ now
    (found by the dry run). Holds no value of the row: the diff is read from the file and the
    stored records when it is shown (``dataio.reimport``)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="row_changes")
    row = models.BigIntegerField()
    key_hash = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    #: The stored row's content hash when the dry run compared it ('' : imported before
    #: content hashes, compared with the stored records instead).
    stored_hash = models.CharField(max_length=32, blank=True)
    applied = models.BooleanField(default=False)

    class Meta:
        ordering = ["row"]
        constraints = [
            models.UniqueConstraint(fields=["run", "row"], name="dataio_one_change_per_row")
        ]

    def __str__(self) -> str:
        return f"run {self.run_id} row {self.row} → {self.object_id}"
