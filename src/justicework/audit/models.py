from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from justicework.audit.canonical import CanonicalJSONEncoder


class AuditEntry(models.Model):
    """One link of the append-only, hash-chained audit log (DESIGN 4.3).

    ``hash = SHA-256(prev_hash ‖ canonical JSON of the entry's fields)``; see ``audit.chain``.
    Rows are never updated or deleted: on PostgreSQL the application's role has no UPDATE or
    DELETE privilege on this table and a trigger refuses both. Actor and organisation are plain
    ids (not foreign keys) so that deleting a user can never touch the log.
    """

    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    # Read by organisation, newest first (audit_org_seq); the action is shown, never searched.
    organisation_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # Stored in the canonical spelling the hash covers (one encoding per entry; the value is
    # the same in any spelling, and ``audit verify`` re-encodes what it reads).
    diff = models.JSONField(default=dict, blank=True, encoder=CanonicalJSONEncoder)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["organisation_id", "seq"], name="audit_org_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The sealed head of the chain: one row (``id`` 1), rewritten by every append in the same
    transaction, with ``mac = HMAC(audit key, "justicework-audit-head:" seq ":" hash)``.

    A prefix of a valid chain is a valid chain, so entries cut off the end leave no trace in
    the entries themselves; this row does. Someone holding only the database cannot make the
    seal of an earlier entry, so cutting the chain back to it shows (``audit verify``), unless
    they kept a copy of this row from when that entry was the head: only a checkpoint kept
    outside the server covers that (docs/security.md, section ``audit``).
    """

    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit head")
        verbose_name_plural = _("audit head")

    def __str__(self) -> str:
        return f"head #{self.seq}"
