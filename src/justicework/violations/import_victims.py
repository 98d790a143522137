"""Victims named by an import row with the source's own id (``victim_ref``), as units are
(``import_units``).

The first row that names a reference creates the victim (from its identity columns, or an
unknown-status person when it has none) through ``actions.bulk_create_persons``; later rows of
the file, and later imports under the same mapping namespace, find that person again by the
reference's keyed hash in ``dataio.ImportedRow`` (kind ``violations.person``, scoped per
organisation; the namespace is in the hash), whatever identity they spell. So a victim named
on several rows, or in a later release, is one person. The reference itself is never stored in
clear: only its SHA-256 with the namespace.

The dry run neither flags such a row as a likely duplicate of the person its reference
already names (:class:`Referenced`), nor lets a row give both a reference and a victim code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.utils.translation import gettext as _

from justicework.core.bulk import insert_rows
from justicework.core.models import Organisation
from justicework.dataio.models import ImportedRow
from justicework.dataio.schema import ParsedRow, RowProblem
from justicework.violations.actions import NewPerson
from justicework.violations.models import Person

PERSON_KEY_KIND = "violations.person"
FIELD = "victim_ref"


def person_hash(namespace: str, ref: str) -> str:
    return hashlib.sha256(f"{namespace}\x1fperson\x1f{ref}".encode()).hexdigest()


def _refs(rows: Iterable[ParsedRow]) -> set[str]:
    return {r.values[FIELD] for r in rows if r.values.get(FIELD)}


def known(organisation: Organisation, namespace: str, refs: set[str]) -> dict[str, NewPerson]:
    """Reference → the person an earlier chunk or import created for it (still stored)."""
    if not refs:
        return {}
    hashes = {person_hash(namespace, ref): ref for ref in refs}
    found = dict(
        ImportedRow.objects.filter(
            organisation=organisation, kind=PERSON_KEY_KIND, key_hash__in=sorted(hashes)
        ).values_list("key_hash", "object_id")
    )
    persons = {
        pk: NewPerson(pk, code, org)
        for pk, code, org in Person.objects.filter(
            organisation=organisation, pk__in=[int(pk) for pk in found.values()]
        ).values_list("pk", "code", "organisation_id")
    }
    return {hashes[key]: persons[int(pk)] for key, pk in found.items() if int(pk) in persons}


def check_refs(rows: list[ParsedRow]) -> list[RowProblem]:
    """A reference beside a victim code: the row would name two victims."""
    return [
        RowProblem(
            row.number,
            FIELD,
            _("Give either a victim code or the victim's reference (victim_ref), not both."),
        )
        for row in rows
        if row.values.get(FIELD) and row.values.get("victim_code")
    ]


class Referenced:
    """The rows of a file whose reference names a victim already: stored by an earlier import,
    or given by an earlier row of the same file (remembered chunk after chunk)."""

    def __init__(self, organisation: Organisation, namespace: str) -> None:
        self.organisation = organisation
        self.namespace = namespace
        self.seen: set[str] = set()

    def fresh(self, rows: list[ParsedRow]) -> list[ParsedRow]:
        """``rows`` but those whose victim an earlier row or import already names."""
        stored = known(self.organisation, self.namespace, _refs(rows) - self.seen)
        result = []
        for row in rows:
            ref = row.values.get(FIELD)
            if ref and (ref in self.seen or ref in stored):
                continue
            if ref:
                self.seen.add(ref)
            result.append(row)
        return result


class Victims:
    """One chunk's references: which rows create their victim, then every row's victim."""

    def __init__(self, organisation: Organisation, namespace: str, rows: list[ParsedRow]):
        self.organisation = organisation
        self.namespace = namespace
        self.persons = known(organisation, namespace, _refs(rows))
        self.first: dict[str, int] = {}
        for row in rows:
            ref = row.values.get(FIELD)
            if ref and ref not in self.persons:
                self.first.setdefault(ref, row.number)

    def named(self, row: ParsedRow) -> bool:
        """Whether ``row``'s victim is another row's or a stored one (no person to create)."""
        ref = row.values.get(FIELD)
        return ref is not None and ref != "" and self.first.get(ref) != row.number

    def assign(self, rows: list[ParsedRow], victims: dict[int, NewPerson]) -> None:
        """Bind each new reference to the person its first row got, store the bindings, and
        give every later row of a reference that person."""
        created: list[tuple[str, NewPerson]] = []
        for row in rows:
            ref = row.values.get(FIELD)
            if not ref:
                continue
            if self.first.get(ref) == row.number and row.number in victims:
                self.persons[ref] = victims[row.number]
                created.append((ref, victims[row.number]))
            elif ref in self.persons:
                victims[row.number] = self.persons[ref]
        insert_rows(
            ImportedRow,
            ["organisation_id", "kind", "key_hash", "object_id", "run_id"],
            [
                (
                    self.organisation.pk,
                    PERSON_KEY_KIND,
                    person_hash(self.namespace, ref),
                    str(person.pk),
                    None,
                )
                for ref, person in created
            ],
        )
