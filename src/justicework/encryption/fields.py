"""Encrypted model fields and blind indexes.

Usage in a domain model::

    class Person(models.Model):
        organisation = models.ForeignKey(Organisation, ...)
        full_name = EncryptedTextField(blank=True)          # key scope from organisation_id
        full_name_index = BlindIndexField()                 # set by the action: blind_index(...)

Encrypted fields are written encrypted in ``pre_save`` (so ``save()`` and ``bulk_create()``
encrypt) and decrypted when loaded. They cannot be filtered on or used in ``update()``: that raises
``TypeError`` instead of silently comparing plaintext with ciphertext. Exact-match look-ups go
through a :class:`BlindIndexField`. Only key rotation handles stored ciphertext, as
:class:`~justicework.encryption.keyring.Ciphertext` values (see ``encryption.rotation``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.lookups import StartsWith

from justicework.encryption import keyring


class CiphertextPrefix(StartsWith):
    """``field__startswith=Ciphertext("jw1.<key id>.")``: which values are under a key. Any
    other right-hand side is refused (a plaintext prefix would silently match nothing)."""

    def get_prep_lookup(self) -> Any:
        if not isinstance(self.rhs, keyring.Ciphertext):
            raise TypeError("Encrypted fields only take a Ciphertext key prefix in startswith.")
        return str(self.rhs)


ALLOWED_LOOKUPS = frozenset({"exact", "in", "isnull", "startswith"})


class EncryptedField(models.TextField):  # type: ignore[type-arg]  # types: from_db_value
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
        if isinstance(value, keyring.Ciphertext):  # key rotation sets ciphertext directly
            return value
        return keyring.encrypt(self.to_bytes(value), self.scope_for(model_instance), self.context)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, keyring.Ciphertext):
            return str(value) if value is not None else None
        raise TypeError(
            f"{self.context} is encrypted: it cannot be compared or updated in SQL. "
            "Use its blind index for look-ups and save() through an action for writes."
        )

    def get_lookup(self, lookup_name: str) -> Any:
        # Only look-ups that can take ciphertext; ``contains``, ``icontains``, ``lt``... would
        # silently compare plaintext with ciphertext and find nothing.
        if lookup_name not in ALLOWED_LOOKUPS:
            raise TypeError(
                f"{self.context} is encrypted: the {lookup_name!r} look-up cannot work on it. "
                "Use its blind index for exact matches."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        raise TypeError(
            f"{self.context} is encrypted: {lookup_name!r} cannot be applied to it in SQL."
        )

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return self.from_bytes(keyring.decrypt(value, self.context))

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: models.Model) -> str:
        return "[encrypted]"


EncryptedField.register_lookup(CiphertextPrefix)


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
        if isinstance(value, str) and value and not isinstance(value, keyring.Ciphertext):
            try:
                return dt.date.fromisoformat(value)
            except ValueError as exc:
                raise ValidationError(
                    f"{self.name}: {value!r} is not a date (YYYY-MM-DD)."
                ) from exc
        return value

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        # Skip TextField.formfield (a textarea): a date input is a date field.
        return models.Field.formfield(
            self,
            form_class=form_class or forms.DateField,
            choices_form_class=choices_form_class,
            **kwargs,
        )


class EncryptedJSONField(EncryptedField):
    description = "Encrypted JSON"

    def is_empty(self, value: Any) -> bool:
        return value is None

    def to_bytes(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")

    def from_bytes(self, data: bytes) -> Any:
        return json.loads(data)


class BlindIndexField(models.CharField):  # type: ignore[type-arg]  # holds str
    """Holds ``blind_index(value, kind)``: a keyed HMAC, useless without the key."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if not getattr(self, "db_index", True):  # Field leaves out False, not our default
            kwargs["db_index"] = False
        return name, path, args, kwargs


_SPACE = re.compile(r"\s+")
# Hyphens and dashes (U+2010-U+2015), apostrophes (U+2019, U+02BC) and punctuation split words.
_PUNCTUATION = re.compile(r"[\-\u2010-\u2015'\u2019\u02bc`.,]")
_DROP: dict[int, None] | None = None


def _drop_table() -> dict[int, None]:
    """``str.translate`` table deleting every combining mark and the Arabic tatweel (built
    once: a per-character ``unicodedata.combining`` loop was most of ``normalise``)."""
    global _DROP
    if _DROP is None:
        table: dict[int, None] = {
            cp: None for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))
        }
        # Arabic tatweel and harakat are not letters; drop them.
        table[0x0640] = None
        _DROP = table
    return _DROP


def normalise(value: str) -> str:
    """Case-, accent-, width- and spacing-insensitive form of a value for exact matching."""
    text = str(value)
    if text.isascii():  # NFKD and NFKC leave ASCII as is, and casefold is lower
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text).translate(_drop_table())
        text = unicodedata.normalize("NFKC", text).casefold()
    text = _PUNCTUATION.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def blind_index(value: str | None, kind: str = "text") -> str:
    """Blind index of ``value`` (empty string for empty values). ``kind`` separates namespaces:
    a name and a document number that normalise alike do not collide."""
    if value is None or str(value).strip() == "":
        return ""
    return keyring.hmac_hex(keyring.blind_index_key(), normalise(str(value)), kind)
