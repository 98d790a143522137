from __future__ import annotations

from django.db import models

from justicework.encryption.fields import (
    BlindIndexField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
)


class Dossier(models.Model):
    """Key scope from its own ``organisation_id``."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = EncryptedTextField()
    name_index = BlindIndexField()
    born = EncryptedDateField()
    details = EncryptedJSONField()
    status = models.CharField(max_length=20, default="open")

    def __str__(self) -> str:
        return f"dossier {self.pk}"


class Note(models.Model):
    """Key scope through a relation (``org_field``)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(org_field="dossier__organisation_id")

    def __str__(self) -> str:
        return f"note {self.pk}"
