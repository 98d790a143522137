"""Persons: a pseudonymous code everywhere, identity fields encrypted and blind-indexed in
:class:`PersonIndex`. Roles are links (``PersonRole``, ``Perpetration``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.encryption.fields import (
    BlindIndexField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
)
from justicework.violations.dates import DatePrecision as DatePrecision


class Person(models.Model):
    """A person known to the documentation: victim, witness, source, perpetrator, commander.

    Only ``code`` (a random pseudonym, never derived from the identity) is shown by default.
    Identity fields are encrypted with the owning organisation's key and opened only through
    ``actions.reveal_identity`` (need-to-know, audited).
    """

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("Unknown")
        ALIVE = "alive", _("Alive")
        DECEASED = "deceased", _("Deceased")
        MISSING = "missing", _("Missing")

    #: Encrypted identity fields (never in audit diffs, logs, search indexes or exports
    #: without reveal). ``names`` is a list of {"name", "script", "language", "transliteration"}.
    IDENTITY_FIELDS = (
        "full_name",
        "names",
        "other_names",
        "date_of_birth",
        "age_range",
        "sex",
        "gender_identity",
        "nationalities",
        "ethnicity",
        "religion",
        "languages",
        "contacts",
        "identity_documents",
    )

    # No index of its own: the unique (organisation, code) index leads with it.
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="persons", db_index=False
    )
    code = models.CharField(_("code"), max_length=16)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UNKNOWN
    )
    full_name = EncryptedTextField(_("full name"))
    names = EncryptedJSONField(_("names in several scripts"))
    other_names = EncryptedJSONField(_("other names, aliases"))
    date_of_birth = EncryptedDateField(_("date of birth"))
    age_range = EncryptedJSONField(_("age range"))
    sex = EncryptedTextField(_("sex"))
    gender_identity = EncryptedTextField(_("gender identity"))
    nationalities = EncryptedJSONField(_("nationalities"))
    ethnicity = EncryptedTextField(_("ethnicity"))
    religion = EncryptedTextField(_("religion"))
    languages = EncryptedJSONField(_("languages"))
    contacts = EncryptedJSONField(_("contacts"))
    identity_documents = EncryptedJSONField(_("identity documents"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="person_code_per_org")
        ]

    def __str__(self) -> str:
        return self.code


class PersonIndex(models.Model):
    """Blind index values of a person's identity, for exact-match duplicate look-ups.

    One row per (kind, value): a person has several names, scripts and documents.
    """

    class Kind(models.TextChoices):
        NAME = "name", _("Name")
        NAME_KEY = "name_key", _("Transliterated name key")
        DATE_OF_BIRTH = "dob", _("Date of birth")
        DOCUMENT = "document", _("Identity document number")
        NAME_HALF = "name_half", _("Name word with another word's initial")
        AGE = "age", _("Age")
        NAME_PREFIX = "name_pref", _("Name word with another word's first two letters")

    # No single-column indexes: organisation leads (organisation, kind, value), person leads the
    # unique (person, kind, value), and look-ups by value name the kind (possible_duplicates).
    # Each index on a random HMAC costs every import a random write per row.
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="index_values", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = BlindIndexField(db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "value"], name="person_index_value_once"
            )
        ]
        indexes = [models.Index(fields=["organisation", "kind", "value"])]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.kind}"
