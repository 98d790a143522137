"""The columns an import of violations can fill: each a ``dataio`` field with its parser
(vocabulary terms in any UI language, fuzzy dates, the identity schema's bounds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pycountry
from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from justicework.dataio import parsers
from justicework.dataio.schema import Allowed, Field
from justicework.violations import vocabularies
from justicework.violations.dates import parse_partial, past
from justicework.violations.identity import LENGTHS
from justicework.violations.models import Incident, Location, Person, Violation

_NAME_LENGTH, _SEX_LENGTH = LENGTHS["full_name"], LENGTHS["sex"]  # the identity schema's bounds
_ETHNICITY_LENGTH, _GENDER_LENGTH = LENGTHS["ethnicity"], LENGTHS["gender_identity"]


def subdivision() -> parsers.Parser:
    """An ISO 3166-2 subdivision code (``UA-14``, case ignored); whether it lies in the row's
    country is checked with the row (``ViolationSchema.check_chunk``)."""

    def parse(value: str) -> str:
        code = value.strip().upper()
        if pycountry.subdivisions.get(code=code) is None:
            raise ValueError(
                _("%(v)r is not an ISO 3166-2 subdivision code (such as UA-14).") % {"v": value}
            )
        return code

    return parse


def fuzzy_date(formats: tuple[str, ...] = ()) -> parsers.Parser:
    """``2024`` (year), ``2024-03`` (month), or a full date (day) → (date, precision)."""
    exact = parsers.date(formats)

    def parse(value: str) -> tuple[dt.date, str]:
        return parse_partial(value, exact)

    return parse


def _vocabulary_terms(name: str, selectable_only: bool = False) -> dict[str, str]:
    """Every spelling of every term: its code and its label in each UI language (groupings
    left out with ``selectable_only``: a record carries an act, not a group of acts)."""
    vocabulary = vocabularies.get(name)
    allowed = {t.code for t in vocabulary.selectable()} if selectable_only else None
    terms: dict[str, str] = {}
    for term in vocabulary:
        if allowed is not None and term.code not in allowed:
            continue
        terms[term.code] = term.code
        for label in term.labels.values():
            terms.setdefault(label, term.code)
    return terms


def _term_label(term: vocabularies.Term) -> str:
    return term.label()


#: One lazy class for every term's label (``lazy(f, str)`` builds a class at each call).
_lazy_label = lazy(_term_label, str)


def _vocabulary_allowed(name: str, selectable_only: bool = False) -> Allowed:
    """The terms of vocabulary ``name`` for the mapping builder, labels in the user's language."""
    vocabulary = vocabularies.get(name)
    terms = vocabulary.selectable() if selectable_only else list(vocabulary)
    return Allowed(
        tuple((t.code, _lazy_label(t)) for t in terms),
        _vocabulary_terms(name, selectable_only),
    )


def _vocabulary_field(name: str, label: Any, vocabulary: str, what: Any) -> Field:
    return Field(
        name,
        label,
        parsers.choice(_vocabulary_terms(vocabulary), what=str(what)),
        allowed=_vocabulary_allowed(vocabulary),
    )


def _choices_field(name: str, label: Any, choices: Any, what: Any) -> Field:
    terms = _choices(choices)
    allowed = Allowed(tuple((str(value), text) for value, text in choices), terms)
    return Field(name, label, parsers.choice(terms, what=str(what)), allowed=allowed)


def violation_type() -> parsers.Parser:
    """A type of act in any spelling; a grouping (e.g. "Violations of the right to life") is
    refused with the acts it groups, an unknown value with the nearest terms."""
    types = vocabularies.get("violation_types")
    acts = parsers.choice(
        _vocabulary_terms("violation_types", selectable_only=True),
        what=str(gettext_lazy("type of act")),
    )
    groups = {
        parsers.fold(spelling): term.code
        for term in types
        if term.extra.get("group")
        for spelling in (term.code, *term.labels.values())
    }

    def parse(value: str) -> str:
        group = groups.get(parsers.fold(value))
        if group is not None:
            narrower = ", ".join(t.code for t in types.children(group))
            raise ValueError(
                _("%(v)r is a grouping of acts: choose one of its acts (%(acts)s).")
                % {"v": value, "acts": narrower}
            )
        return str(acts(value))

    return parse


def _choices(choices: Any) -> dict[str, str]:
    """Every spelling of Django choices: the value and its label in each UI language."""
    terms = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices:
                terms[str(value)] = value
                terms.setdefault(str(label), value)
    return terms


def past_date(formats: tuple[str, ...] = ()) -> parsers.Parser:
    exact = parsers.date(formats)

    def parse(value: str) -> dt.date:
        return past(exact(value))

    return parse


def violation_fields(formats: tuple[str, ...]) -> tuple[Field, ...]:
    """The row fields, with ``formats`` the mapping's extra date formats."""
    return (
        *_incident_fields(),
        *_place_fields(),
        *_act_fields(formats),
        *_victim_fields(formats),
        *_unit_fields(),
        *_origin_fields(),
    )


#: The importer records a place only with its country (``violations.io``).
_NEEDS_COUNTRY: dict[str, Any] = {
    "needs": "country",
    "needs_why": gettext_lazy("a place needs its country"),
}


def _incident_fields() -> tuple[Field, ...]:
    return (
        Field("incident_ref", gettext_lazy("Incident reference"), parsers.text(200), required=True),
        Field("incident_title", gettext_lazy("Incident title"), parsers.text(300), required=True),
        Field("incident_description", gettext_lazy("Incident description"), parsers.text()),
        Field("country", gettext_lazy("Country"), parsers.country()),
        _choices_field(
            "context", gettext_lazy("Context"), Incident.Context.choices, gettext_lazy("context")
        ),
        Field(
            "incident_external_ref",
            gettext_lazy("External reference of the incident (the source's own)"),
            parsers.text(Incident.EXTERNAL_REF_MAX_LENGTH),
        ),
    )


def _place_fields() -> tuple[Field, ...]:
    return (
        Field("place_name", gettext_lazy("Place"), parsers.text(200), **_NEEDS_COUNTRY),
        Field(
            "subdivision",
            gettext_lazy("Subdivision (ISO 3166-2 code, e.g. UA-14)"),
            subdivision(),
            **_NEEDS_COUNTRY,
        ),
        Field(
            "latitude",
            gettext_lazy("Latitude"),
            parsers.decimal_number(-90, 90),
            **_NEEDS_COUNTRY,
        ),
        Field(
            "longitude",
            gettext_lazy("Longitude"),
            parsers.decimal_number(-180, 180),
            **_NEEDS_COUNTRY,
        ),
        _place_precision_field(),
    )


def _place_precision_field() -> Field:
    terms = _choices(Location.Precision.choices)
    return Field(
        "location_precision",
        gettext_lazy("Precision of the place"),
        parsers.choice(terms, what=str(gettext_lazy("location precision"))),
        allowed=Allowed(tuple((str(v), t) for v, t in Location.Precision.choices), terms),
        **_NEEDS_COUNTRY,
    )


def _act_fields(formats: tuple[str, ...]) -> tuple[Field, ...]:
    return (
        Field(
            "type",
            gettext_lazy("Type of act"),
            violation_type(),
            required=True,
            allowed=_vocabulary_allowed("violation_types", selectable_only=True),
        ),
        _vocabulary_field("method", gettext_lazy("Method"), "methods", gettext_lazy("method")),
        Field("date", gettext_lazy("Date (YYYY, YYYY-MM or YYYY-MM-DD)"), fuzzy_date(formats)),
        Field("end_date", gettext_lazy("End date"), past_date(formats)),
        Field("date_approximate", gettext_lazy("Approximate date"), parsers.boolean()),
        Field("description", gettext_lazy("Description"), parsers.text()),
        Field("consequences", gettext_lazy("Consequences"), parsers.text()),
    )


def _victim_fields(formats: tuple[str, ...]) -> tuple[Field, ...]:
    return (
        Field("victim_age", gettext_lazy("Age of the victim"), parsers.integer(0, 130)),
        _choices_field(
            "victim_outcome",
            gettext_lazy("Status of the victim at the end"),
            Violation.VictimOutcome.choices,
            gettext_lazy("victim status"),
        ),
        Field("victim_code", gettext_lazy("Victim code (an existing person)"), parsers.text(16)),
        Field(
            "victim_ref",
            gettext_lazy("Victim (the source's own id: one person for all its rows)"),
            parsers.text(200),
        ),
        Field("victim_name", gettext_lazy("Victim name (encrypted)"), parsers.text(_NAME_LENGTH)),
        Field("victim_sex", gettext_lazy("Victim sex (encrypted)"), parsers.text(_SEX_LENGTH)),
        Field(
            "victim_date_of_birth",
            gettext_lazy("Victim date of birth (encrypted)"),
            past_date(formats),
        ),
        Field(
            "victim_gender_identity",
            gettext_lazy("Victim gender identity (encrypted)"),
            parsers.text(_GENDER_LENGTH),
        ),
        Field(
            "victim_ethnicity",
            gettext_lazy("Victim ethnicity (encrypted)"),
            parsers.text(_ETHNICITY_LENGTH),
        ),
        _choices_field(
            "victim_status",
            gettext_lazy("Status of a new victim (e.g. deceased)"),
            Person.Status.choices,
            gettext_lazy("person status"),
        ),
    )


def _unit_fields() -> tuple[Field, ...]:
    return (
        Field(
            "perpetrator_unit_ref",
            gettext_lazy("Perpetrator unit (the source's own id)"),
            parsers.text(200),
        ),
        Field("perpetrator_unit_name", gettext_lazy("Perpetrator unit name"), parsers.text(200)),
        _vocabulary_field(
            "perpetrator_unit_kind",
            gettext_lazy("Perpetrator unit type"),
            "perpetrator_types",
            gettext_lazy("type of unit"),
        ),
        _vocabulary_field(
            "perpetrator_involvement",
            gettext_lazy("Degree of involvement of the unit"),
            "involvement_degrees",
            gettext_lazy("degree of involvement"),
        ),
    )


def _origin_fields() -> tuple[Field, ...]:
    """Where an exported row came from (``violations.import_origin``): a row of this
    organisation's own export is recognised, not recorded twice."""
    return (
        Field(
            "export_origin",
            gettext_lazy("Origin of an exported row (JusticeWork export)"),
            parsers.text(64),
        ),
        Field(
            "export_incident_id",
            gettext_lazy("Incident number in the exported file"),
            parsers.integer(1),
            needs="export_origin",
            needs_why=gettext_lazy("an exported number means something only with its origin"),
        ),
        Field(
            "export_violation_id",
            gettext_lazy("Violation number in the exported file"),
            parsers.integer(1),
            needs="export_origin",
            needs_why=gettext_lazy("an exported number means something only with its origin"),
        ),
    )
