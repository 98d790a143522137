"""Encrypted model fields and blind indexes.

Usage in a domain model::

    class Person(models.Model):
        organisation = models.ForeignKey(Organisation, ...)
        full_name = EncryptedTextField(blank=True)          # key scope from organisation_id
        full_name_index = BlindIndexField()                 # set by the action: blind_index(...)

Encrypted fields are written encrypted in ``pre_save`` (so ``save()`` and ``bulk_create()``
encrypt) and decrypted when loaded. They cannot be filtered on or used in ``update()``: that raises
``TypeError`` instead of silently comparing plaintext with ciphertext. Exact-match look-ups go
through a :class:`BlindIndexField`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from justicework.encryption import keyring


class EncryptedField(models.TextField):
    """Base: subclasses convert between Python values and bytes."""

    description = "An AES-256-GCM encrypted value"

    def __init__(self, *args: Any, org_field: str = "organisation_id", **kwargs: Any) -> None:
        self.org_field = org_field
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.org_field != "organisation_id":
            kwargs["org_field"] = self.org_field
        return name, path, args, kwargs

    @property
    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    # --- conversions (override) ---
    def to_bytes(self, value: Any) -> bytes:
        return str(value).encode("utf-8")

    def from_bytes(self, data: bytes) -> Any:
        return data.decode("utf-8")

    def is_empty(self, value: Any) -> bool:
        return value is None or value == ""

    # --- Django hooks ---
    def scope_for(self, instance: models.Model) -> str:
        value: Any = instance
        for part in self.org_field.split("__"):
            value = getattr(value, part, None)
        if value is None:
            raise keyring.EncryptionError(
                f"{self.context}: cannot encrypt without an owning organisation ({self.org_field})."
            )
        return keyring.org_scope(int(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if self.is_empty(value):
            return None
        if keyring.is_ciphertext(value):  # re-encryption by key rotation sets ciphertext directly
            return value
        return keyring.encrypt(self.to_bytes(value), self.scope_for(model_instance), self.context)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or keyring.is_ciphertext(value):
            return value
        raise TypeError(
            f"{self.context} is encrypted: it cannot be compared or updated in SQL. "
            "Use its blind index for look-ups and save() through an action for writes."
        )

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return self.from_bytes(keyring.decrypt(value, self.context))

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: models.Model) -> str:
        return "[encrypted]"


class EncryptedTextField(EncryptedField):
    pass


class EncryptedDateField(EncryptedField):
    description = "An encrypted date"

    def to_bytes(self, value: Any) -> bytes:
        if isinstance(value, str):
            value = self.to_python(value)
        if not isinstance(value, dt.date):
            raise ValidationError(f"{self.name}: expected a date, got {type(value).__name__}.")
        return value.isoformat().encode("ascii")

    def from_bytes(self, data: bytes) -> Any:
        return dt.date.fromisoformat(data.decode("ascii"))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value and not keyring.is_ciphertext(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError as exc:
                raise ValidationError(
                    f"{self.name}: {value!r} is not a date (YYYY-MM-DD)."
                ) from exc
        return value

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DateField(required=not self.blank, **kwargs)


class EncryptedJSONField(EncryptedField):
    description = "Encrypted JSON"

    def is_empty(self, value: Any) -> bool:
        return value is None

    def to_bytes(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")

    def from_bytes(self, data: bytes) -> Any:
        return json.loads(data)


class BlindIndexField(models.CharField):
    """Holds ``blind_index(value, kind)``: a keyed HMAC, useless without the key."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)


_SPACE = re.compile(r"\s+")


def normalise(value: str) -> str:
    """Case-, accent-, width- and spacing-insensitive form of a value for exact matching."""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # Arabic tatweel and harakat are not letters; drop them.
    text = text.replace("\u0640", "")
    text = unicodedata.normalize("NFKC", text).casefold()
    # Hyphens and dashes (U+2010-U+2015), apostrophes (U+2019, U+02BC) and punctuation split words.
    text = re.sub(r"[\-\u2010-\u2015'\u2019\u02bc`.,]", " ", text)
    return _SPACE.sub(" ", text).strip()


def blind_index(value: str | None, kind: str = "text") -> str:
    """Blind index of ``value`` (empty string for empty values). ``kind`` separates namespaces:
    a name and a document number that normalise alike do not collide."""
    if value is None or str(value).strip() == "":
        return ""
    return keyring.hmac_hex(keyring.blind_index_key(), normalise(str(value)), kind)
