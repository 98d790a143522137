"""The duplicate check's rules, apart from the action (``actions.check_duplicates``).

A duplicate check maps identifying facts to persons, so it is an identity look-up and follows
the identity rules:

* **Two fields at least.** Of the identifying fields — a name (any script or spelling), the
  date of birth, the age, a document number — at least two must be given
  (:func:`require_two_fields`), and a person is reported only when a name or document and
  another field match (:func:`matched_fields`, which also names them). A date of birth alone,
  an age alone, or a name alone, links nothing to anyone.
* **No more than the caller may see.** A matched person's code is disclosed only to a caller
  who may open that identity (``policy`` action ``reveal_identity``: need-to-know); for the
  others the answer says that a possible duplicate exists and whom to ask (:func:`whom_to_ask`:
  the organisation and its members who grant need-to-know).
* **Rate-limited per user** (:func:`charge`, ``settings.DUPLICATE_CHECK_RATE_LIMIT``, separate
  from the API's general limit), on the web and the API alike.
* **Audited** by the action: the blind-index values (HMACs) and the number of matches, never
  the plaintext.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from justicework.core.models import Organisation, User
from justicework.violations import rules
from justicework.violations.models import PersonIndex

Kind = PersonIndex.Kind
#: The identifying field each blind-index kind stands for.
FIELD_OF_KIND: dict[str, str] = {
    Kind.NAME: "name",
    Kind.NAME_KEY: "name",
    Kind.NAME_HALF: "name",
    Kind.NAME_PREFIX: "name",
    Kind.DATE_OF_BIRTH: "date_of_birth",
    Kind.DOCUMENT: "documents",
    Kind.AGE: "age",
}
MIN_FIELDS = 2
#: How strongly each matched field suggests the same person (orders the disclosed codes).
STRENGTH = {
    "documents": 8,
    "name": 4,
    "name_close": 3,
    "name_part": 3,
    "date_of_birth": 2,
    "age": 1,
}


class RateLimited(Exception):
    """Too many duplicate checks; ``wait`` is the number of seconds until the next one."""

    def __init__(self, wait: int) -> None:
        super().__init__(_("Too many duplicate checks. Try again in %(n)s seconds.") % {"n": wait})
        self.wait = wait


@dataclass(frozen=True)
class Contact:
    display_name: str
    email: str


@dataclass(frozen=True)
class DuplicateCheck:
    """The answer to one check, already cut to what the caller may see."""

    #: Codes of matched persons whose identity the caller may open, strongest first.
    codes: list[str] = field(default_factory=list)
    #: The fields that matched, per disclosed code ("name", "date_of_birth", "documents").
    matched: dict[str, list[str]] = field(default_factory=dict)
    #: Matched persons the caller has no need-to-know for (their codes are not given).
    undisclosed: int = 0
    organisation: Organisation | None = None
    #: Whom to ask for need-to-know when ``undisclosed`` (the organisation's grantors).
    ask: list[Contact] = field(default_factory=list)

    @property
    def possible_duplicate(self) -> bool:
        return bool(self.codes) or self.undisclosed > 0


#: How each matched field is named to the user.
FIELD_LABELS = {
    "name": gettext_lazy("name"),
    "name_close": gettext_lazy("most of the name"),
    "name_part": gettext_lazy("part of the name"),
    "date_of_birth": gettext_lazy("date of birth"),
    "age": gettext_lazy("age"),
    "documents": gettext_lazy("identity document number"),
}


def given_fields(values: set[tuple[str, str]]) -> set[str]:
    return {FIELD_OF_KIND[str(kind)] for kind, _value in values}


def require_two_fields(values: set[tuple[str, str]]) -> None:
    """422 naming the rule unless at least two identifying fields were given."""
    if len(given_fields(values)) < MIN_FIELDS:
        raise ValidationError(
            _(
                "A duplicate check needs at least two identifying fields: a name, the date of "
                "birth, a document number (a name alone or a date of birth alone is refused)."
            ),
            code="two_fields",
        )


def match(
    organisation: Organisation, values: set[tuple[str, str]], exclude_id: int | None = None
) -> dict[int, tuple[str, set[str]]]:
    """Persons of ``organisation`` matching at least two of the given fields:
    ``{person_id: (code, matched fields)}``. One query on the (organisation, kind, value) index."""
    if not values:
        return {}
    rows = PersonIndex.objects.filter(
        organisation_id=organisation.pk,
        kind__in=sorted({str(k) for k, _v in values}),
        value__in=sorted({v for _k, v in values}),
    )
    if exclude_id is not None:
        rows = rows.exclude(person_id=exclude_id)
    found: dict[int, tuple[str, list[str]]] = {}
    for person_id, code, kind, value in rows.values_list(
        "person_id", "person__code", "kind", "value"
    ):
        if (kind, value) in values:
            found.setdefault(person_id, (code, []))[1].append(kind)
    hits = {pk: (code, matched_fields(kinds)) for pk, (code, kinds) in found.items()}
    return {pk: hit for pk, hit in hits.items() if hit[1]}


def matched_fields(kinds: Iterable[str]) -> set[str]:
    """The fields that make a likely duplicate out of the matched blind-index ``kinds`` (one
    entry per matched value), or an empty set when they do not suffice:

    * the name: its exact form, its key, or two of its half keys ("name"); one half key with
      the prefix key of the same words (one word spelt the same, the other starting with the
      same two letters: a typo later in it) is "name_close"; one half key alone (a typo early
      in a word, an initial) is "name_part";
    * a document with any other field; a name or most of it with the date of birth or the
      age; a partly matched name only with the date of birth. A date of birth or an age alone,
      or the two together without a name or document, never suffice.
    """
    counts = Counter(str(kind) for kind in kinds)
    fields: set[str] = set()
    if counts[Kind.NAME] or counts[Kind.NAME_KEY] or counts[Kind.NAME_HALF] >= MIN_FIELDS:
        fields.add("name")
    elif counts[Kind.NAME_HALF] and counts[Kind.NAME_PREFIX]:
        fields.add("name_close")
    elif counts[Kind.NAME_HALF]:
        fields.add("name_part")
    for kind in (Kind.DATE_OF_BIRTH, Kind.DOCUMENT, Kind.AGE):
        if counts[kind]:
            fields.add(FIELD_OF_KIND[kind])
    dated = fields & {"date_of_birth", "age"}
    if "documents" in fields and len(fields) >= MIN_FIELDS:
        return fields
    if fields & {"name", "name_close"} and dated:
        return fields
    if "name_part" in fields and "date_of_birth" in fields:
        return fields
    return set()


def strongest_first(hits: list[tuple[str, set[str]]]) -> list[str]:
    return [
        code
        for code, _fields in sorted(hits, key=lambda h: (-sum(STRENGTH[f] for f in h[1]), h[0]))
    ]


def whom_to_ask(organisation: Organisation) -> list[Contact]:
    """The organisation's members who grant need-to-know on identities."""
    members = (
        rules.identity_granters(organisation).select_related("user").order_by("user__email")[:10]
    )
    return [Contact(m.user.display_name, m.user.email) for m in members]


def _parse_rate(rate: str) -> tuple[int, int]:
    count, _slash, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[:1].lower()]
    return int(count), seconds


def charge(user: User) -> None:
    """Count one check against ``user``'s budget; :class:`RateLimited` when it is spent.
    A fixed window in the cache (``add`` then ``incr``: atomic on Redis)."""
    limit, period = _parse_rate(settings.DUPLICATE_CHECK_RATE_LIMIT)
    now = time.time()
    window = int(now // period)
    key = f"justicework:dupcheck:{user.pk}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        used = 1
    if used > limit:
        raise RateLimited(max(1, math.ceil((window + 1) * period - now)))


def value_index(records: Iterable[set[tuple[str, str]]]) -> dict[tuple[str, str], list[int]]:
    """``{(kind, value): [record number, ...]}`` of records' blind indexes: the in-memory
    counterpart of ``PersonIndex`` for rows of one file (the importer's dry run, the bench)."""
    index: dict[tuple[str, str], list[int]] = {}
    for number, values in enumerate(records):
        for pair in values:
            index.setdefault(pair, []).append(number)
    return index


def match_in(
    index: dict[tuple[str, str], list[int]], lookup: set[tuple[str, str]]
) -> dict[int, set[str]]:
    """Records of ``index`` that are likely duplicates of the identity whose look-up values
    (ages ± one year) are ``lookup``, with the fields that matched (:func:`matched_fields`)."""
    kinds: dict[int, list[str]] = {}
    for pair in lookup:
        for number in index.get(pair, ()):
            kinds.setdefault(number, []).append(pair[0])
    found = {number: matched_fields(matched) for number, matched in kinds.items()}
    return {number: fields for number, fields in found.items() if fields}
