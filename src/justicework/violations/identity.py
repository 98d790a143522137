"""The Person identity, described once (STYLE 17).

Each identity field is declared here with its kind (how a value is checked and normalised), its
bounds and the blind-index kinds it feeds. The actions (``create_person``, ``update_person``),
the bulk path (``prepare_identity``, ``bulk_create_persons``), the importer (its column bounds),
the web form (``PersonForm.clean``) and the API schema (``IdentityIn``) all validate through
:func:`clean` / :func:`clean_field`; the blind indexes of an identity come from
:func:`identity_index_values`. Errors name the field and say why; nothing here touches the
database unless a blind-index key must be looked up.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from justicework.core.dates import is_future
from justicework.encryption.fields import normalise
from justicework.encryption.keyring import blind_index_key, hmac_hex
from justicework.violations import translit
from justicework.violations.models import Person, PersonIndex

NAME = PersonIndex.Kind.NAME
NAME_KEY = PersonIndex.Kind.NAME_KEY
DATE_OF_BIRTH = PersonIndex.Kind.DATE_OF_BIRTH
DOCUMENT = PersonIndex.Kind.DOCUMENT
NAME_HALF = PersonIndex.Kind.NAME_HALF
NAME_PREFIX = PersonIndex.Kind.NAME_PREFIX
AGE = PersonIndex.Kind.AGE
#: Age ranges wider than this many years are not indexed (they say too little).
AGE_INDEX_SPAN = 2

#: The keys a name entry and an identity document may have, with the length of each value.
NAME_PARTS = {"name": 300, "script": 10, "language": 10, "transliteration": 300}
DOCUMENT_PARTS = {"type": 60, "number": 100, "country": 2}
AGE_MIN, AGE_MAX = 0, 130
MAX_ITEMS = 50
MAX_CONTACTS = 20
TEXT_LENGTH = 300  # one entry of a list of texts (other names, languages, a contact)


@dataclass(frozen=True)
class IdentityField:
    """One identity field: ``kind`` names its cleaner (:data:`CLEANERS`); ``max_length`` bounds
    a text or each text of a list, ``max_items`` a list; ``indexes`` are the ``PersonIndex``
    kinds its values feed."""

    name: str
    kind: str
    max_length: int = 0
    max_items: int = 0
    indexes: tuple[str, ...] = ()


FIELDS: tuple[IdentityField, ...] = (
    IdentityField(
        "full_name", "text", max_length=300, indexes=(NAME, NAME_KEY, NAME_HALF, NAME_PREFIX)
    ),
    IdentityField(
        "names", "names", max_items=MAX_ITEMS, indexes=(NAME, NAME_KEY, NAME_HALF, NAME_PREFIX)
    ),
    IdentityField(
        "other_names",
        "texts",
        TEXT_LENGTH,
        max_items=MAX_ITEMS,
        indexes=(NAME, NAME_KEY, NAME_HALF, NAME_PREFIX),
    ),
    IdentityField("date_of_birth", "date", indexes=(DATE_OF_BIRTH,)),
    IdentityField("age_range", "age_range", indexes=(AGE,)),
    IdentityField("sex", "text", max_length=50),
    IdentityField("gender_identity", "text", max_length=100),
    IdentityField("nationalities", "countries", max_items=MAX_ITEMS),
    IdentityField("ethnicity", "text", max_length=100),
    IdentityField("religion", "text", max_length=100),
    IdentityField("languages", "texts", TEXT_LENGTH, max_items=MAX_ITEMS),
    IdentityField("contacts", "contacts", TEXT_LENGTH, max_items=MAX_CONTACTS),
    IdentityField("identity_documents", "documents", max_items=MAX_ITEMS, indexes=(DOCUMENT,)),
)
BY_NAME: dict[str, IdentityField] = {field.name: field for field in FIELDS}
FIELD_NAMES = tuple(BY_NAME)
#: The length of a text field (the importer's identity columns are bounded by it).
LENGTHS: dict[str, int] = {field.name: field.max_length for field in FIELDS}
EMPTY: tuple[Any, ...] = (None, "", [], {})


def _too_long(value: str, limit: int) -> None:
    if limit and len(value) > limit:
        raise ValidationError(_("At most %(max)d characters.") % {"max": limit})


def _too_many(value: list[Any], field: IdentityField) -> None:
    if field.max_items and len(value) > field.max_items:
        raise ValidationError(_("At most %(max)d items.") % {"max": field.max_items})


def _text(value: Any, field: IdentityField) -> str | None:
    if not isinstance(value, str):
        raise ValidationError(_("Expected a text."))
    _too_long(value, field.max_length)
    return value.strip() or None


def _text_list(value: Any, field: IdentityField) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Expected a list of texts."))
    _too_many(list(value), field)
    for item in value:
        _too_long(item, field.max_length)
    return [v.strip() for v in value if v.strip()]


def _texts(value: Any, field: IdentityField) -> list[str] | None:
    return _text_list(value, field) or None


def _parts(entry: dict[str, Any], allowed: Mapping[str, int], unknown: str) -> dict[str, str]:
    """An entry of a list of dicts (a name, a document): known keys, bounded, stripped."""
    extra = sorted(set(entry) - set(allowed))
    if extra:
        raise ValidationError(unknown % {"keys": ", ".join(extra)})
    clean = {k: str(v).strip() for k, v in entry.items() if v}
    for key, text in clean.items():
        _too_long(text, allowed[key])
    return clean


def _names(value: Any, field: IdentityField) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise ValidationError(_("Expected a list of names."))
    _too_many(value, field)
    names = []
    for item in value:
        entry = {"name": item} if isinstance(item, str) else item
        if not isinstance(entry, dict) or not str(entry.get("name", "")).strip():
            raise ValidationError(_("Each name needs a 'name'."))
        names.append(_parts(entry, NAME_PARTS, _("Unknown keys in a name: %(keys)s")))
    return names


def _date(value: Any, field: IdentityField) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValidationError(_("Expected a date (YYYY-MM-DD).")) from exc
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(_("Expected a date (YYYY-MM-DD)."))
    if is_future(value):
        raise ValidationError(_("The date of birth is in the future."))
    return value


def _age_range(value: Any, field: IdentityField) -> dict[str, int | None]:
    if not isinstance(value, dict) or set(value) - {"min", "max"}:
        raise ValidationError(_("Expected {'min': years, 'max': years}."))
    low, high = value.get("min"), value.get("max")
    for bound in (low, high):
        if bound is not None and (
            not isinstance(bound, int) or isinstance(bound, bool) or not AGE_MIN <= bound <= AGE_MAX
        ):
            raise ValidationError(_("Ages are whole numbers from 0 to 130."))
    if low is not None and high is not None and high < low:
        raise ValidationError(_("The maximum age is below the minimum."))
    return {"min": low, "max": high}


def _countries(value: Any, field: IdentityField) -> list[str] | None:
    codes = [c.upper() for c in _text_list(value, field)]
    for code in codes:
        if pycountry.countries.get(alpha_2=code) is None:
            raise ValidationError(
                _("%(code)r is not an ISO 3166-1 alpha-2 country code.") % {"code": code}
            )
    return codes or None


def _contacts(value: Any, field: IdentityField) -> list[Any]:
    if not isinstance(value, list) or not all(isinstance(v, str | dict) for v in value):
        raise ValidationError(_("Expected a list of contacts."))
    _too_many(value, field)
    for item in value:
        for text in [item] if isinstance(item, str) else [str(v) for v in item.values()]:
            _too_long(text, field.max_length)
    return value


def _documents(value: Any, field: IdentityField) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise ValidationError(_("Expected a list of documents."))
    _too_many(value, field)
    docs = []
    for item in value:
        if not isinstance(item, dict) or not str(item.get("number", "")).strip():
            raise ValidationError(_("Each identity document needs a 'number'."))
        docs.append(_parts(item, DOCUMENT_PARTS, _("Unknown keys in a document: %(keys)s")))
    return docs


#: How each kind of field is checked and normalised (a ``ValidationError`` says why not).
CLEANERS: dict[str, Callable[[Any, IdentityField], Any]] = {
    "text": _text,
    "texts": _texts,
    "names": _names,
    "date": _date,
    "age_range": _age_range,
    "countries": _countries,
    "contacts": _contacts,
    "documents": _documents,
}


def clean_field(name: str, value: Any) -> Any:
    """One identity value checked and normalised; empty values become ``None``."""
    field = BY_NAME.get(name)
    if field is None:
        raise ValidationError(_("Unknown identity field."))
    if value in EMPTY:
        return None
    return CLEANERS[field.kind](value, field)


def clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise identity input; one error per field, naming it."""
    result: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in data.items():
        try:
            result[name] = clean_field(name, value)
        except ValidationError as exc:
            errors[name] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    return result


# --- Blind indexes -----------------------------------------------------------------------------


def document_key(number: str) -> str:
    """Document numbers match whatever spaces, dashes and case were typed."""
    return re.sub(r"[\W_]+", "", normalise(number))


def _keyed_blind_index(index_key: bytes, value: str, kind: str) -> str:
    """``blind_index(value, kind)`` with the key given (no keyring look-up: no database)."""
    if value.strip() == "":
        return ""
    return hmac_hex(index_key, normalise(value), kind)


def _name_values(index_key: bytes, names: Iterable[str]) -> set[tuple[str, str]]:
    """Each name's exact form, its transliteration-aware key, its half and prefix keys."""
    values: set[tuple[str, str]] = set()
    for name in names:
        normal = normalise(name)  # once: blind_index and name_key both start with it
        if normal:  # blind_index(name, "person.name"), without normalising again
            values.add((NAME, hmac_hex(index_key, normal, "person.name")))
        words = translit.name_words_of_normalised(normal)
        if words:
            key = " ".join(sorted(words))
            values.add((NAME_KEY, hmac_hex(index_key, key, "person.name_key")))
        for half in translit.name_halves(words):
            values.add((NAME_HALF, hmac_hex(index_key, half, "person.name_half")))
        for prefix in translit.name_prefixes(words):
            values.add((NAME_PREFIX, hmac_hex(index_key, prefix, "person.name_prefix")))
    return values


def age_years(age_range: Mapping[str, Any] | None, tolerance: int = 0) -> list[int]:
    """The years an age range stands for (none when open or wider than
    :data:`AGE_INDEX_SPAN`); ``tolerance`` widens it on both sides (a look-up's ±1 year)."""
    if not age_range:
        return []
    low, high = age_range.get("min"), age_range.get("max")
    low = high if low is None else low
    high = low if high is None else high
    if low is None or high is None or high - low > AGE_INDEX_SPAN:
        return []
    return list(range(max(AGE_MIN, low - tolerance), min(AGE_MAX, high + tolerance) + 1))


def index_values(
    *,
    names: Iterable[str] = (),
    date_of_birth: dt.date | None = None,
    documents: Iterable[str] = (),
    ages: Iterable[int] = (),
    index_key: bytes | None = None,
) -> set[tuple[str, str]]:
    """The (kind, blind index) pairs of an identity. Names give the normalised original, the
    transliteration-aware key and the half keys (:func:`translit.name_halves`); ``ages`` are
    whole years. ``index_key`` is :func:`blind_index_key` when the caller has it (then nothing
    here touches the database: the importer's preparing thread)."""
    if index_key is None:
        index_key = blind_index_key()
    values = _name_values(index_key, names)
    if date_of_birth is not None:
        dob = _keyed_blind_index(index_key, date_of_birth.isoformat(), "person.dob")
        values.add((DATE_OF_BIRTH, dob))
    for number in documents:
        key = document_key(number)
        if key:
            values.add((DOCUMENT, _keyed_blind_index(index_key, key, "person.document")))
    for age in ages:
        values.add((AGE, hmac_hex(index_key, str(age), "person.age")))
    return values


#: The fields each blind-index input is read from (the declarations' ``indexes``).
_NAME_FIELDS = tuple(f.name for f in FIELDS if NAME in f.indexes)
_DOB_FIELDS = tuple(f.name for f in FIELDS if DATE_OF_BIRTH in f.indexes)
_DOCUMENT_FIELDS = tuple(f.name for f in FIELDS if DOCUMENT in f.indexes)
_AGE_FIELDS = tuple(f.name for f in FIELDS if AGE in f.indexes)
_INDEXED = (*_NAME_FIELDS, *_DOB_FIELDS, *_DOCUMENT_FIELDS, *_AGE_FIELDS)
#: The identity fields that feed a blind index (what a re-index must decrypt).
INDEXED_FIELDS = _INDEXED


def _name_texts(name: str, value: Any) -> list[str]:
    """The names a field's value holds: a text, a list of texts, or name entries (each name
    and its transliteration)."""
    if not value:
        return []
    kind = BY_NAME[name].kind
    if kind == "text":
        return [value]
    if kind == "names":
        return [
            part
            for entry in value
            for part in (entry.get("name", ""), entry.get("transliteration", ""))
        ]
    return list(value)


def identity_index_values(
    identity: Mapping[str, Any], index_key: bytes | None = None, age_tolerance: int = 0
) -> set[tuple[str, str]]:
    """The blind indexes of a person holding the cleaned ``identity`` (a mapping of fields).
    ``age_tolerance`` 1 gives a look-up's values (ages one year either side)."""
    names = [text for name in _NAME_FIELDS for text in _name_texts(name, identity.get(name))]
    dobs = [identity[name] for name in _DOB_FIELDS if identity.get(name) is not None]
    documents = [d.get("number", "") for name in _DOCUMENT_FIELDS for d in identity.get(name) or []]
    return index_values(
        names=[text for text in names if text and text.strip()],
        date_of_birth=dobs[0] if dobs else None,
        documents=documents,
        ages=[
            year for name in _AGE_FIELDS for year in age_years(identity.get(name), age_tolerance)
        ],
        index_key=index_key,
    )


def person_index_values(person: Person) -> set[tuple[str, str]]:
    return identity_index_values({name: getattr(person, name) for name in _INDEXED})


def name_forms(person: Person) -> list[str]:
    """Every name of ``person`` (full name, names and their transliterations, other names)."""
    names = [text for name in _NAME_FIELDS for text in _name_texts(name, getattr(person, name))]
    return [text for text in names if text and text.strip()]
