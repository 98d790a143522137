"""Likely duplicate persons in an import's dry run (issue 11).

Each row naming a new victim is looked up, through the blind indexes only, against the earlier
rows of the same file and against the organisation's stored persons, with the rule of
:func:`duplicates.matched_fields` (a name with the date of birth or the age, never a date or an
age alone). A flag holds row numbers, a person id and the names of the matched fields — never
an identity value — and is shown by :func:`describe`, which gives a stored person's code only to
a user who may open that identity (``reveal_identity``); the others are told that a likely
duplicate exists and whom to ask (``duplicates.whom_to_ask``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.core.models import Organisation
from justicework.dataio.schema import ParsedRow
from justicework.violations import duplicates
from justicework.violations.identity import identity_index_values
from justicework.violations.models import ImportDuplicate, Person, PersonIndex

#: Flags kept per row (the strongest matches first would need plaintext: the first found).
PER_ROW = 3
#: Values per ``IN`` list of the stored-person look-up.
LOOKUP_BATCH = 900
FIELD_LABELS = {
    "name": gettext_lazy("name"),
    "name_close": gettext_lazy("most of the name"),
    "name_part": gettext_lazy("part of the name"),
    "date_of_birth": gettext_lazy("date of birth"),
    "age": gettext_lazy("age"),
    "documents": gettext_lazy("identity document"),
}


@dataclass(frozen=True)
class Flag:
    row: int
    fields: tuple[str, ...]
    other_row: int | None = None
    person_id: int | None = None


def row_identity(values: dict[str, Any]) -> dict[str, Any] | None:
    """The identifying facts of a row's new victim (None without a name: nothing to match)."""
    if not values.get("victim_name"):
        return None
    identity: dict[str, Any] = {"full_name": values["victim_name"]}
    if values.get("victim_date_of_birth"):
        identity["date_of_birth"] = values["victim_date_of_birth"]
    if values.get("victim_age") is not None:
        identity["age_range"] = {"min": values["victim_age"], "max": values["victim_age"]}
    return identity


#: Kinds that can start a match (a date of birth or an age is only checked on their candidates:
#: thousands of persons share an age).
ANCHORS = frozenset(
    {PersonIndex.Kind.NAME, PersonIndex.Kind.NAME_KEY, PersonIndex.Kind.NAME_HALF}
    | {PersonIndex.Kind.NAME_PREFIX, PersonIndex.Kind.DOCUMENT}
)
#: Earlier rows remembered per anchor value (a name shared by thousands of rows stays linear).
BUCKET = 50


class DuplicateFinder:
    """Finds the flags of chunk after chunk of one file (remembering the earlier rows)."""

    def __init__(self, organisation: Organisation, index_key: bytes) -> None:
        self.organisation_id = organisation.pk
        self.key = index_key
        self.index: dict[tuple[str, str], list[int]] = {}
        self.values: list[set[tuple[str, str]]] = []  # record number -> its index values
        self.numbers: list[int] = []  # record number -> row number

    def flags(self, rows: Iterable[ParsedRow]) -> list[Flag]:
        items = []
        for row in rows:
            identity = row_identity(row.values) if not row.values.get("victim_code") else None
            if identity is not None:
                stored = identity_index_values(identity, self.key)
                lookup = identity_index_values(identity, self.key, age_tolerance=1)
                items.append((row.number, stored, lookup))
        found: list[Flag] = []
        for (number, stored, lookup), hits in zip(
            items, self._stored_hits([lookup for _n, _s, lookup in items]), strict=True
        ):
            row_flags = [
                Flag(number, tuple(sorted(fields)), other_row=self.numbers[other])
                for other, fields in sorted(self._earlier(lookup).items())
            ] + [
                Flag(number, tuple(sorted(fields)), person_id=pk)
                for pk, fields in sorted(hits.items())
            ]
            found.extend(row_flags[:PER_ROW])
            self._remember(number, stored)
        return found

    def _remember(self, number: int, stored: set[tuple[str, str]]) -> None:
        for pair in stored:
            if pair[0] in ANCHORS:
                bucket = self.index.setdefault(pair, [])
                if len(bucket) < BUCKET:
                    bucket.append(len(self.numbers))
        self.values.append(stored)
        self.numbers.append(number)

    def _earlier(self, lookup: set[tuple[str, str]]) -> dict[int, set[str]]:
        candidates = {n for pair in lookup if pair[0] in ANCHORS for n in self.index.get(pair, ())}
        found = {
            n: duplicates.matched_fields(
                [kind for kind, v in lookup if (kind, v) in self.values[n]]
            )
            for n in candidates
        }
        return {n: fields for n, fields in found.items() if fields}

    def _rows(self, kinds: Iterable[str], values: list[str], **extra: Any) -> Iterable[Any]:
        for start in range(0, len(values), LOOKUP_BATCH):
            yield from PersonIndex.objects.filter(
                organisation_id=self.organisation_id,
                kind__in=sorted(kinds),
                value__in=values[start : start + LOOKUP_BATCH],
                **extra,
            ).values_list("person_id", "kind", "value")

    def _stored_hits(self, lookups: list[set[tuple[str, str]]]) -> list[dict[int, set[str]]]:
        """Stored persons sharing an anchor value, then their dates of birth and ages."""
        anchors = sorted({v for lookup in lookups for kind, v in lookup if kind in ANCHORS})
        others = sorted({v for lookup in lookups for kind, v in lookup if kind not in ANCHORS})
        owners: dict[tuple[str, str], list[int]] = {}
        for pk, kind, value in self._rows(ANCHORS, anchors):
            owners.setdefault((kind, value), []).append(pk)
        candidates = sorted({pk for pks in owners.values() for pk in pks})
        if candidates and others:
            dated = {PersonIndex.Kind.DATE_OF_BIRTH, PersonIndex.Kind.AGE}
            for start in range(0, len(candidates), LOOKUP_BATCH):
                batch = candidates[start : start + LOOKUP_BATCH]
                for pk, kind, value in self._rows(dated, others, person_id__in=batch):
                    owners.setdefault((kind, value), []).append(pk)
        return [duplicates.match_in(owners, lookup) for lookup in lookups]


def keep(run: Any, flags: list[Flag]) -> None:
    """Store a dry run's flags on ``run`` (replacing an earlier dry run's)."""
    ImportDuplicate.objects.filter(run=run).delete()
    ImportDuplicate.objects.bulk_create(
        [
            ImportDuplicate(
                run=run,
                row=flag.row,
                other_row=flag.other_row,
                person_id=flag.person_id,
                fields=",".join(flag.fields),
            )
            for flag in flags
        ],
        batch_size=1000,
    )


def stored(run: Any) -> list[Flag]:
    """The flags :func:`keep` stored on ``run``."""
    return [
        Flag(row, tuple(fields.split(",")), other_row=other, person_id=pk)
        for row, fields, other, pk in ImportDuplicate.objects.filter(run=run).values_list(
            "row", "fields", "other_row", "person_id"
        )
    ]


def _matched(fields: Iterable[str]) -> str:
    return ", ".join(str(FIELD_LABELS.get(name, name)) for name in fields if name)


def _whom(organisation: Organisation) -> str:
    contacts = duplicates.whom_to_ask(organisation)
    return ", ".join(c.email for c in contacts) or _("the organisation's administrators")


def describe(user: Requester, organisation: Organisation, flags: list[Flag]) -> list[str]:
    """One sentence per flag, cut to what ``user`` may see: a stored person's code only when
    ``user`` may open that identity; otherwise that a likely duplicate exists and whom to ask."""
    person_ids = sorted({f.person_id for f in flags if f.person_id is not None})
    codes = dict(
        policy.visible(user, Person, "reveal_identity")
        .filter(pk__in=person_ids)
        .values_list("pk", "code")
    )
    ask = _whom(organisation) if len(codes) < len(person_ids) else ""
    lines = []
    for flag in flags:
        values: dict[str, Any] = {"row": flag.row, "fields": _matched(flag.fields)}
        if flag.other_row is not None:
            text = _("Row %(row)s may be the same person as row %(other)s (matched: %(fields)s).")
            values["other"] = flag.other_row
        elif flag.person_id in codes:
            text = _("Row %(row)s may be the stored person %(code)s (matched: %(fields)s).")
            values["code"] = codes[flag.person_id]
        else:
            text = _(
                "Row %(row)s may be a person already stored (matched: %(fields)s); to see "
                "who, ask for need-to-know: %(ask)s."
            )
            values["ask"] = ask
        lines.append(text % values)
    return lines
