"""The checks of each chunk of an import, shared by the dry run and the single-pass commit: the
rows' own problems, duplicate keys within the file and the schema's checks (``check_chunk``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from justicework.core.models import Organisation
from justicework.dataio import reimport
from justicework.dataio.mapping import MappingSpec
from justicework.dataio.models import ImportedRow
from justicework.dataio.outcome import MAX_FLAGS, Outcome, ProblemSink, emit
from justicework.dataio.schema import ParsedRow, RowProblem, Schema


def existing_keys(organisation: Organisation, kind: str, rows: list[ParsedRow]) -> set[str]:
    """The key hashes of ``rows`` that an earlier import of ``organisation`` stored."""
    if not rows:
        return set()
    return set(
        ImportedRow.objects.filter(
            organisation=organisation, kind=kind, key_hash__in=[r.key_hash for r in rows]
        ).values_list("key_hash", flat=True)
    )


class Checker:
    """Checks chunk after chunk, remembering the keys seen (64-bit prefixes of their hashes)."""

    def __init__(
        self,
        schema: Schema,
        organisation: Organisation,
        spec: MappingSpec,
        outcome: Outcome,
        on_problem: ProblemSink | None,
        keep: int,
        count_existing: bool,
        flag: bool = False,
    ) -> None:
        self.schema = schema
        self.organisation = organisation
        self.spec = spec
        self.outcome = outcome
        self.on_problem = on_problem
        self.keep = keep
        self.count_existing = count_existing
        self.flag = flag
        self.seen: dict[int, int] = {}

    def check(
        self, good: list[ParsedRow], problems: list[RowProblem], count: int
    ) -> list[ParsedRow]:
        """The chunk's rows that passed every check; the others are reported."""
        outcome = self.outcome
        outcome.rows += count
        for problem in problems:
            emit(outcome, problem, self.on_problem, self.keep)
        unique = self._first_of_each_key(good)
        bad_rows: set[int] = set()
        for problem in self.schema.check_chunk(self.organisation, unique):
            bad_rows.add(problem.row)
            emit(outcome, problem, self.on_problem, self.keep)
        valid = [r for r in unique if r.number not in bad_rows]
        outcome.valid += len(valid)
        known: set[str] | None = None
        if self.count_existing:  # the dry run: rows imported before, and those that changed
            known, changes = reimport.classify(self.schema, self.organisation, self.spec, valid)
            reimport.count(outcome, len(known), changes)
        if self.flag:
            # A row imported before is not flagged: its own victim is a stored person now, and
            # a commit skips the row (its changes are applied to its records, not re-created).
            if known is None:
                known = existing_keys(self.organisation, self.schema.kind, valid)
            fresh = [r for r in valid if r.key_hash not in known]
            flags = self.schema.flag_chunk(self.organisation, fresh)
            outcome.flag_count += len(flags)
            outcome.flags.extend(flags[: max(0, MAX_FLAGS - len(outcome.flags))])
        return valid

    def _first_of_each_key(self, good: list[ParsedRow]) -> list[ParsedRow]:
        unique: list[ParsedRow] = []
        for row in good:
            short = int(row.key_hash[:16], 16)
            first = self.seen.get(short)
            if first is None:
                self.seen[short] = row.number
                unique.append(row)
                continue
            emit(
                self.outcome,
                RowProblem(
                    row.number,
                    ", ".join(self.spec.key) or _("(all mapped columns)"),
                    _("Duplicate key: row %(first)s has the same key.") % {"first": first}
                    + (f" ({row.label})" if row.label else ""),
                ),
                self.on_problem,
                self.keep,
            )
        return unique
