"""The API's request schemas of a person's identity (``PersonIn``, ``PersonPatch`` build on them).

Types and bounds come from the identity schema (:mod:`justicework.violations.identity`), and a
validator asks it about every given value, so a value the action would refuse is a 422 naming
the field; the action then normalises it with the same schema.
"""

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema
from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from justicework.api.types import InputSchema
from justicework.violations import identity

__all__ = ["AgeRangeIn", "DocumentIn", "IdentityIn", "NameIn"]


class NameIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=identity.NAME_PARTS["name"])
    script: str = Field("", max_length=identity.NAME_PARTS["script"])
    language: str = Field("", max_length=identity.NAME_PARTS["language"])
    transliteration: str = Field("", max_length=identity.NAME_PARTS["transliteration"])


class AgeRangeIn(InputSchema):
    min: int | None = Field(None, ge=identity.AGE_MIN, le=identity.AGE_MAX)
    max: int | None = Field(None, ge=identity.AGE_MIN, le=identity.AGE_MAX)


class DocumentIn(InputSchema):
    type: str = Field("", max_length=identity.DOCUMENT_PARTS["type"])
    number: str = Field(..., min_length=1, max_length=identity.DOCUMENT_PARTS["number"])
    country: str = Field("", max_length=identity.DOCUMENT_PARTS["country"])


#: One text of an identity list (other names, languages, nationalities, contacts).
IdentityText = Annotated[str, Field(max_length=identity.TEXT_LENGTH)]


def _length(name: str) -> int:
    return identity.BY_NAME[name].max_length


def _items(name: str) -> int:
    return identity.BY_NAME[name].max_items


class IdentityIn(InputSchema):
    """A person's identity. Types and bounds come from the identity schema
    (:mod:`justicework.violations.identity`), and every given value is checked by it, so a
    value the action would refuse is a 422 naming the field (the action normalises it)."""

    full_name: str | None = Field(None, max_length=_length("full_name"))
    names: list[NameIn] | None = Field(None, max_length=_items("names"))
    other_names: list[IdentityText] | None = Field(None, max_length=_items("other_names"))
    date_of_birth: dt.date | None = None
    age_range: AgeRangeIn | None = None
    sex: str | None = Field(None, max_length=_length("sex"))
    gender_identity: str | None = Field(None, max_length=_length("gender_identity"))
    nationalities: list[IdentityText] | None = Field(None, max_length=_items("nationalities"))
    ethnicity: str | None = Field(None, max_length=_length("ethnicity"))
    religion: str | None = Field(None, max_length=_length("religion"))
    languages: list[IdentityText] | None = Field(None, max_length=_items("languages"))
    contacts: list[IdentityText] | None = Field(
        None, max_length=_items("contacts"), description=f"At most {_items('contacts')}."
    )
    identity_documents: list[DocumentIn] | None = Field(
        None, max_length=_items("identity_documents")
    )

    @field_validator(*identity.FIELD_NAMES, mode="after")
    @classmethod
    def _identity_rules(cls, value: Any, info: ValidationInfo) -> Any:
        """The identity schema's verdict on a value pydantic accepted (e.g. a country code, a
        date of birth in the future, an age range upside down)."""
        plain = _plain(value)
        try:
            identity.clean_field(info.field_name or "", plain)
        except ValidationError as exc:
            raise PydanticCustomError("identity", " ".join(exc.messages)) from None
        return value


def _plain(value: Any) -> Any:
    """A validated value as the identity schema takes it (sub-schemas as dicts)."""
    if isinstance(value, Schema):
        return value.model_dump()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
