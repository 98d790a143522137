"""What a domain app provides to import and export its records.

A :class:`Schema` names the target fields of one kind of row (``"violations"``), each with a
parser, and commits a chunk of parsed rows through the domain's actions. Domain apps register
their schema in ``AppConfig.ready`` with :func:`register`; the engine, views and commands look it
up by kind. This keeps ``dataio`` free of any domain import.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from justicework.dataio import parsers

if TYPE_CHECKING:
    from justicework.core.actors import Actor, Requester
    from justicework.core.models import Organisation, User


_yes, _no = gettext_lazy("yes"), gettext_lazy("no")
_no_updates = gettext_lazy("Rows of this kind are not updated by a re-import.")


@dataclass(frozen=True)
class Allowed:
    """The terms a vocabulary field accepts, for people choosing among them (the mapping
    builder): ``terms`` are (code, label) in order, the label lazy (read in the user's
    language); ``spellings`` every other accepted spelling (labels in any language) → code."""

    terms: tuple[tuple[str, str | Promise], ...]
    spellings: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    @cached_property
    def _lookup(self) -> dict[str, str]:
        lookup = {parsers.fold(k): str(v) for k, v in self.spellings.items()}
        lookup.update({parsers.fold(code): code for code, _label in self.terms})
        return lookup

    def label(self, code: str) -> str:
        return next((str(label) for c, label in self.terms if c == code), code)

    def match(self, value: str) -> str:
        """The code ``value`` spells (case, accents and spacing ignored), or ''."""
        return self._lookup.get(parsers.fold(value), "")

    def suggest(self, value: str) -> list[str]:
        """The codes nearest to ``value``, best first (the importer's "Did you mean")."""
        return parsers.nearest(parsers.fold(value), self._lookup)


@dataclass(frozen=True)
class Field:
    name: str
    label: str | Promise
    parse: parsers.Parser = field(default_factory=parsers.text)
    required: bool = False
    help: str | Promise = ""
    #: A vocabulary field's terms (``None`` for free text, numbers, dates...).
    allowed: Allowed | None = field(default=None, compare=False)
    #: Another field without which this one is dropped (a place needs its country), and why.
    needs: str = ""
    needs_why: str | Promise = ""


@dataclass(frozen=True)
class StoredRow:
    """A stored record as an imported row's values (``Schema.stored_values``): ``values`` by
    field name; ``identity`` the names of the fields among them that are identity fields."""

    values: dict[str, Any]
    identity: frozenset[str] = frozenset()


@dataclass(slots=True)
class ParsedRow:
    number: int
    key_hash: str
    values: dict[str, Any]
    label: str = ""
    #: What the schema's ``prepare_rows`` computed for this row ahead of its write (or None).
    prepared: Any = None
    #: A hash of ``values`` (``mapping.content_hash``): a re-import tells a changed row.
    content_hash: str = ""


class ExportNotSupported(ValueError):
    """This kind of record is imported but not exported."""


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.reason}"


class Schema(abc.ABC):
    """Base class; subclasses set ``kind``, ``label``, ``fields`` and implement the hooks.

    ``commit_chunk`` is required. The export hooks are optional: a kind of record that is
    imported but not exported keeps the defaults, which refuse with a clear message."""

    kind: str = ""
    label: str | Promise = ""
    fields: Sequence[Field] = ()
    #: The mapping's key namespace, set by the engine before ``prepare`` (schemas that keep keys
    #: of their own, such as an incident reference, scope them with it).
    namespace: str = ""
    #: The action on the organisation that importing these rows needs besides the IMPORT
    #: capability (e.g. the capability to create the records); asked by the import-run rule
    #: (``dataio.rules``), once per run. Empty: IMPORT is enough.
    import_action: str = ""

    def shipped_mappings(self) -> dict[str, Path]:
        """Mappings that ship with the app (name → JSON file inside the package), e.g. one that
        reads back this kind's own export. An organisation adds one to its mappings with
        ``dataio.actions.install_shipped_mapping``. Default: none."""
        return {}

    def field_map(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def configure(self, namespace: str, date_formats: tuple[str, ...]) -> None:
        """Take the mapping's settings (called by the engine before reading rows). Schemas whose
        date parsers accept the mapping's ``date_formats`` rebuild their fields here."""
        self.namespace = namespace

    def prepare(self, organisation: Organisation) -> None:
        """Called once before validating or committing (load vocabularies, caches).
        Optional: the default needs nothing prepared."""
        return None

    def prepare_commit(self, organisation: Organisation) -> None:
        """Called once before committing (after ``prepare``), in the writer's process before
        the preparing process starts; inside the import's transaction when the commit is
        all-or-nothing (a rolled-back import leaves nothing of it). Set up what
        ``prepare_rows`` needs and may have to create (e.g. the data key it encrypts with).
        Optional: the default needs nothing."""
        return None

    def prepare_rows(self, rows: list[ParsedRow]) -> None:
        """Optional work on parsed rows ahead of their write, stored in ``row.prepared``
        (encryption-free cleaning, blind indexes...). Runs in the engine's preparing thread
        while the previous chunk is written: it must not touch the database (the thread has
        no connection; a query there fails) and must not write. ``commit_chunk`` must give
        the same result whether or not it ran. Default: nothing."""
        return None

    def check_chunk(self, organisation: Organisation, rows: list[ParsedRow]) -> list[RowProblem]:
        """Cross-field and database checks for parsed rows; no writes."""
        return []

    def flag_chunk(self, organisation: Organisation, rows: list[ParsedRow]) -> list[Any]:
        """Notes on valid rows that are not problems (e.g. likely duplicate persons), found by
        the dry run only; opaque to the engine, kept by :meth:`keep_flags` and shown by
        :meth:`describe_flags`. Default: none."""
        return []

    def keep_flags(self, run: Any, flags: list[Any]) -> None:
        """Store a dry run's flags on its ``run`` (replacing earlier ones). Default: nothing."""
        return None

    def describe_flags(
        self, user: Requester, organisation: Organisation, flags: list[Any]
    ) -> list[str]:
        """One sentence per flag, cut to what ``user`` may see. Default: none."""
        return []

    def stored_flags(self, run: Any) -> list[Any]:
        """The flags :meth:`keep_flags` stored on ``run``. Default: none."""
        return []

    # --- re-imports that update (``dataio.reimport``) ---
    #: The action on the organisation that applying a re-import's changes needs besides the
    #: IMPORT capability (e.g. the capability to edit the records). Empty: the kind's rows are
    #: never updated by a re-import (changed rows are reported, not applied).
    update_action: str = ""

    def stored_values(
        self, organisation: Organisation, object_ids: list[str], user: Requester = None
    ) -> dict[str, Any]:
        """The stored records of imported rows (object id → :class:`StoredRow`), read through
        the domain's read paths (what ``user`` may view; ``None``: the system comparing), as
        the row's mapped values would be (the parsers' types); a
        field the schema cannot read back is absent (not compared). Records missing or gone
        are absent. Identity fields are read for the comparison only: :class:`StoredRow`
        names them and the caller shows them only to whom ``may_see_identity`` allows."""
        return {}

    def may_see_identity(self, user: Requester, organisation: Organisation,
                         object_ids: list[str]) -> set[str]:  # fmt: skip
        """The object ids whose identity fields ``user`` may see in a diff. Default: none."""
        return set()

    def identity_shown(self, user: User, organisation: Organisation, object_ids: list[str]) -> None:
        """Audit that the identity fields of ``object_ids`` were shown to ``user`` (as the
        domain's own identity reads are). Default: nothing to audit."""
        return None

    def row_value(self, name: str, values: dict[str, Any]) -> Any:
        """A row's value of field ``name`` as the stored record would hold it (compared with
        ``stored_values``). Default: the parsed value."""
        return values.get(name)

    def display_value(self, name: str, value: Any) -> str:
        """A mapped value as a person reads it in a diff."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(_yes) if value else str(_no)
        found = self.field_map().get(name)
        if found is not None and found.allowed is not None and isinstance(value, str):
            return f"{found.allowed.label(value)} ({value})"
        return str(value)

    def update_rows(self, actor: Actor, organisation: Organisation, changes: list[Any],
                    reason: str) -> None:  # fmt: skip
        """Write ``changes`` (:class:`~justicework.dataio.reimport.RowUpdate`: the object id,
        the row number and ``{field: new value}``) through the domain's update actions, audited
        with the old values, inside the caller's transaction; ``ValidationError`` naming the
        row for a change that cannot be made. Default: refused."""
        raise ValidationError(_no_updates)

    #: The run page's template for :meth:`flag_items` (a list of sentences by default).
    flags_template = "dataio/partials/run_flags.html"

    def flag_items(self, user: Requester, run: Any) -> list[Any]:
        """What the run page shows of the run's flags (:attr:`flags_template`), cut to what
        ``user`` may see. Default: :meth:`describe_flags`' sentences."""
        return self.describe_flags(user, run.organisation, self.stored_flags(run))

    def prepare_run(self, actor: Requester, run: Any) -> None:
        """Called before ``run`` is committed (and when its commit is scheduled), before
        anything is written: read what the commit needs from the run (e.g. the decisions taken
        on its flags); a ``ValidationError`` refuses the commit. Default: nothing."""
        return None

    @abc.abstractmethod
    def commit_chunk(
        self, actor: Actor, organisation: Organisation, rows: list[ParsedRow]
    ) -> list[str]:
        """Create the records of ``rows`` (through the domain's actions) inside the caller's
        transaction; return one object id per row, in order."""

    # --- export ---
    def exports(self) -> bool:
        """Whether records of this kind can be exported (the export hooks are implemented)."""
        return type(self).export_rows is not Schema.export_rows

    def export_columns(self, user: User, organisation: Organisation) -> list[str]:
        raise ExportNotSupported(f"Records of kind {self.kind!r} cannot be exported.")

    #: The declared use (``core.uses``) its export rows are read under; a kind that exports
    #: must name one (the consent-coverage test enumerates the kinds).
    export_use: str = ""

    #: The names :meth:`export_filters` reads (a command refuses any other).
    export_filter_names: tuple[str, ...] = ()

    def export_filters(self, filters: Mapping[str, str]) -> dict[str, str]:
        """The filters an export is asked for (a query string), validated (``ValidationError``
        names a bad one) and as text for the audit entry. By default a kind takes none."""
        return {}

    def export_rows(
        self, user: User, organisation: Organisation, filters: Mapping[str, str] | None = None
    ) -> Iterator[list[Any]]:
        raise ExportNotSupported(f"Records of kind {self.kind!r} cannot be exported.")

    def export_person_ids(
        self, user: User, organisation: Organisation, filters: Mapping[str, str] | None = None
    ) -> Any:
        """The ids of the persons an export with ``filters`` carries (a queryset of ids), for
        the safety warning on the export page; None: the kind carries no person."""
        return None

    def export_held_back(
        self, user: User, organisation: Organisation, filters: Mapping[str, str] | None = None
    ) -> list[tuple[str, int]]:
        """Why persons of this selection are left out of the file (the consent they have not
        given for the export's use), each reason with how many persons; shown on the export
        page. Called under the export's use."""
        return []


_SCHEMAS: dict[str, Callable[[], Schema]] = {}


def register(kind: str, factory: Callable[[], Schema]) -> None:
    _SCHEMAS[kind] = factory


def unregister(kind: str) -> None:
    _SCHEMAS.pop(kind, None)


def get(kind: str) -> Schema:
    try:
        return _SCHEMAS[kind]()
    except KeyError:
        raise LookupError(f"No import schema registered for {kind!r}.") from None


def kinds() -> Iterable[str]:
    return sorted(_SCHEMAS)
