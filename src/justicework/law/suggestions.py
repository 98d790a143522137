"""Candidate crimes for violations, with the reasons: pure functions over plain data (no
database; ``law.qualification_queries`` gathers the facts in a fixed number of queries).

For each violation: the crimes its type of act may amount to (``law.qualification_map``), each
checked against the incident's recorded context (a war crime needs an armed conflict of its
kind; a crime against humanity a widespread or systematic attack; genocide an intent), with the
pattern of similar incidents by the same units, and every element of the crime still to be
established (nothing is established until a lawyer says so in a case matrix). A suggestion is
never stored: a legal analyst decides (``law.actions_qualifications``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from justicework.law.catalogue import Element
from justicework.law.qualification_map import CrimeInfo, QualificationMap
from justicework.violations import vocabularies

IAC, NIAC, OCCUPATION, NONE_KNOWN = "iac", "niac", "occupation", "none_known"

#: how a crime's contextual requirement stands against the recorded context
FITS, OPEN, EXCLUDED = "fits", "open", "excluded"


@dataclass(frozen=True)
class ViolationFacts:
    """What a suggestion reads of a violation (no person, no free text)."""

    id: int
    type: str
    incident_id: int
    #: the incident's ``context`` (``Incident.Context``)
    context: str
    #: the violation's date, else its incident's (None: unknown)
    date: dt.date | None
    country: str = ""
    subdivision: str = ""
    unit_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Suggestion:
    crime_id: str
    category: str
    title: str
    #: ``fits`` (the recorded context is of the kind the crime needs) or ``open`` (to establish)
    context_fit: str
    reasons: tuple[str, ...]
    #: every element of the crime, all still to be established
    elements: tuple[Element, ...]

    @property
    def contextual(self) -> tuple[Element, ...]:
        """The contextual elements still to be established (armed conflict, attack, intent)."""
        return tuple(e for e in self.elements if e.type == "contextual")


@dataclass(frozen=True)
class Excluded:
    """A crime of the type's list that the recorded context rules out, and why."""

    crime_id: str
    title: str
    reason: str


@dataclass(frozen=True)
class Suggestions:
    violation_id: int
    type: str
    pattern_count: int
    suggestions: tuple[Suggestion, ...]
    excluded: tuple[Excluded, ...]
    #: the map's caution for this type, or why it maps to no crime
    note: str = ""


@dataclass(frozen=True)
class PatternRule:
    """Similar incidents: the same type of act by one of the same units, within ``window_days``
    of the violation's date, in the same country (and subdivision when both are known)."""

    window_days: int = 90
    threshold: int = 3


@dataclass(frozen=True)
class PatternRow:
    """One other violation, as the pattern query reads it."""

    incident_id: int
    type: str
    date: dt.date | None
    country: str
    subdivision: str
    unit_id: int


def pattern_count(facts: ViolationFacts, rows: Iterable[PatternRow], rule: PatternRule) -> int:
    """The number of other incidents that repeat ``facts``' act by one of its units nearby in
    time and place (0 when the violation has no unit or no date)."""
    if not facts.unit_ids or facts.date is None:
        return 0
    window = dt.timedelta(days=rule.window_days)
    incidents = set()
    for row in rows:
        if row.incident_id == facts.incident_id or row.type != facts.type:
            continue
        if row.unit_id not in facts.unit_ids or row.date is None:
            continue
        if abs(row.date - facts.date) > window:
            continue
        if facts.country and row.country != facts.country:
            continue
        if facts.subdivision and row.subdivision and row.subdivision != facts.subdivision:
            continue
        incidents.add(row.incident_id)
    return len(incidents)


def type_label(code: str) -> str:
    try:
        return vocabularies.label("violation_types", code)
    except LookupError:
        return code


def _shared(crime: CrimeInfo) -> set[str]:
    return {element.shared for element in crime.elements if element.shared}


def _war_context(crime: CrimeInfo, context: str) -> tuple[str, str]:
    needs_iac = "iac-nexus" in _shared(crime)
    if needs_iac and context in (IAC, OCCUPATION):
        return FITS, _(
            "The incident is recorded in an international armed conflict or an occupation, "
            "the context this war crime needs; its nexus with the conflict is still to be shown."
        )
    if not needs_iac and context == NIAC:
        return FITS, _(
            "The incident is recorded in a non-international armed conflict, the context this "
            "war crime needs; its nexus with the conflict is still to be shown."
        )
    if context == NONE_KNOWN:
        kind = _("an international") if needs_iac else _("a non-international")
        return OPEN, _(
            "This war crime needs %(kind)s armed conflict; none is recorded for the incident: "
            "establish the conflict and its character."
        ) % {"kind": kind}
    if needs_iac:
        return EXCLUDED, _(
            "Needs an international armed conflict; the incident is recorded in a "
            "non-international one."
        )
    return EXCLUDED, _(
        "Needs a non-international armed conflict; the incident is recorded in an international "
        "armed conflict or an occupation."
    )


def context_reason(crime: CrimeInfo, context: str) -> tuple[str, str]:
    """How the crime's contextual requirement stands against the recorded ``context``:
    (``fits`` / ``open`` / ``excluded``, the reason)."""
    if crime.category == "war_crimes":
        return _war_context(crime, context)
    if crime.category == "crimes_against_humanity":
        return OPEN, _(
            "A crime against humanity needs a widespread or systematic attack against a civilian "
            "population, and the perpetrator's knowledge of it (no armed conflict is needed)."
        )
    if crime.category == "genocide":
        return OPEN, _(
            "Genocide needs the intent to destroy, in whole or in part, a national, ethnical, "
            "racial or religious group as such; nothing recorded establishes it."
        )
    if crime.category == "aggression":
        return OPEN, _(
            "Aggression needs a State's act of aggression that is a manifest violation of the "
            "UN Charter, and a perpetrator in a leadership position."
        )
    return FITS, _(
        "A crime under a human rights treaty: it needs no armed conflict or attack, but has "
        "elements of its own (e.g. the involvement of an official)."
    )


def _pattern_reason(count: int, rule: PatternRule) -> str:
    return _(
        "%(count)s other incidents with the same act by the same units within %(days)s days and "
        "in the same region: a pattern that may help show a widespread or systematic attack, or "
        "a manifest pattern of similar conduct."
    ) % {"count": count, "days": rule.window_days}


def suggest(
    facts: ViolationFacts,
    qmap: QualificationMap,
    crimes: Mapping[str, CrimeInfo],
    count: int,
    rule: PatternRule,
    language: str = "en",
) -> Suggestions:
    """The candidate crimes for one violation (``count``: its :func:`pattern_count`)."""
    entry = qmap.types.get(facts.type)
    act = _("The type of act recorded (%(type)s) may amount to this crime.") % {
        "type": type_label(facts.type)
    }
    found: list[Suggestion] = []
    excluded: list[Excluded] = []
    for crime_id in entry.crimes if entry else ():
        crime = crimes[crime_id]
        fit, why = context_reason(crime, facts.context)
        if fit == EXCLUDED:
            excluded.append(Excluded(crime_id, crime.title(language), why))
            continue
        reasons = [act, why]
        if count >= rule.threshold and crime.category in ("crimes_against_humanity", "genocide"):
            reasons.append(_pattern_reason(count, rule))
        found.append(
            Suggestion(
                crime_id, crime.category, crime.title(language), fit, tuple(reasons), crime.elements
            )
        )
    found.sort(key=lambda s: s.context_fit != FITS)  # stable: the map's order within each
    note = (entry.note or entry.none_because) if entry else ""
    return Suggestions(facts.id, facts.type, count, tuple(found), tuple(excluded), note)


@dataclass
class CombinedCrime:
    """A crime suggested for several violations of a set, and which."""

    crime_id: str
    title: str
    violation_ids: list[int] = field(default_factory=list)


def combine(results: Sequence[Suggestions]) -> list[CombinedCrime]:
    """The crimes suggested across a set of violations, each with the violations that support
    it, the most supported first (ties in first-seen order)."""
    by_crime: dict[str, CombinedCrime] = {}
    for result in results:
        for item in result.suggestions:
            entry = by_crime.setdefault(item.crime_id, CombinedCrime(item.crime_id, item.title))
            entry.violation_ids.append(result.violation_id)
    return sorted(by_crime.values(), key=lambda c: -len(c.violation_ids))
