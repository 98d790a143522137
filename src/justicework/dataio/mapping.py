"""Column mappings: which source column (CSV/XLSX header, Kobo form path) fills which field.

A mapping is JSON (stored on :class:`~justicework.dataio.models.Mapping`)::

    {
      "fields": {
        "title": "Incident title",                       # target field <- source column
        "violation_type": {"source": "What happened",    # ... with options
                           "values": {"shot": "killing"},  # recode source values
                           "default": "other"},            # used when the cell is empty
        "country": {"value": "UA"}                        # a constant for every row
      },
      "key": ["Case ID"],            # source columns that identify a row (default: Kobo _uuid,
                                     # else every mapped column)
      "namespace": "survey-2024",    # separates keys of unrelated sources (default: kind)
      "encoding": "utf-8",           # CSV only
      "delimiter": ",",              # CSV only
      "sheet": "Sheet1",             # XLSX only (default: the first sheet)
      "repeat": "victims",           # Kobo only: one row per entry of this repeat group
      "date_formats": ["%d/%m/%Y"],  # accepted besides ISO 8601
      "unneutralise": true           # strip the ' that our exports put before =,+,-,@
    }
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from justicework.dataio.neutralise import unneutralise
from justicework.dataio.readers import SourceRow, nested_deeper_than, too_deep_message
from justicework.dataio.schema import Field, ParsedRow, RowProblem, Schema

KEY_SEPARATOR = "\x1f"
MAX_ERRORS_PER_ROW = 50


#: PostgreSQL refuses it in text and SQLite cuts text at it: a value holding it is refused.
NUL = "\x00"


def nul_message() -> str:
    return _(
        "holds a NUL character (byte 0), which cannot be stored; remove it from the file "
        "(it is often a sign of a damaged file or one saved in another encoding)."
    )


class MappingError(ValueError):
    """The mapping itself is wrong; the message names the field."""


def _mapping_shape_problem(data: Any) -> str:
    """Why ``data`` (mapping JSON) cannot be a mapping: too deep, or holding a NUL; or ''."""
    if nested_deeper_than(data):
        return too_deep_message(_("The mapping"))
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str) and NUL in value:
            return _("The mapping holds a NUL character (byte 0): %(v)r.") % {"v": value[:80]}
    return ""


@dataclass(frozen=True)
class ColumnRule:
    source: str = ""
    constant: str | None = None
    default: str = ""
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MappingSpec:
    fields: dict[str, ColumnRule]
    key: tuple[str, ...] = ()
    namespace: str = ""
    encoding: str = "utf-8"
    delimiter: str = ","
    sheet: str | None = None
    repeat: str | None = None
    date_formats: tuple[str, ...] = ()
    unneutralise: bool = True

    @classmethod
    def from_dict(cls, data: Any, schema: Schema) -> MappingSpec:
        if not isinstance(data, dict):
            raise MappingError(_("The mapping must be a JSON object."))
        problem = _mapping_shape_problem(data)
        if problem:
            raise MappingError(problem)
        unknown = sorted(set(data) - _OPTIONS)
        if unknown:
            raise MappingError(_("Unknown mapping option(s): %(o)s.") % {"o": ", ".join(unknown)})
        rules = _field_rules(data.get("fields"), schema)
        key, delimiter, date_formats = _checked_options(data)
        return cls(
            fields=rules,
            key=tuple(key),
            namespace=str(data.get("namespace") or schema.kind),
            encoding=str(data.get("encoding") or "utf-8"),
            delimiter=delimiter,
            sheet=data.get("sheet") or None,
            repeat=data.get("repeat") or None,
            date_formats=tuple(date_formats),
            unneutralise=bool(data.get("unneutralise", True)),
        )

    def to_dict(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for name, rule in self.fields.items():
            if rule.constant is not None:
                fields[name] = {"value": rule.constant}
            elif not rule.default and not rule.values:
                fields[name] = rule.source
            else:
                item: dict[str, Any] = {"source": rule.source}
                if rule.default:
                    item["default"] = rule.default
                if rule.values:
                    item["values"] = dict(rule.values)
                fields[name] = item
        data: dict[str, Any] = {"fields": fields, "key": list(self.key)}
        data["namespace"] = self.namespace
        if self.encoding != "utf-8":
            data["encoding"] = self.encoding
        if self.delimiter != ",":
            data["delimiter"] = self.delimiter
        for option in ("sheet", "repeat"):
            if getattr(self, option):
                data[option] = getattr(self, option)
        if self.date_formats:
            data["date_formats"] = list(self.date_formats)
        if not self.unneutralise:
            data["unneutralise"] = False
        return data

    def source_columns(self) -> list[str]:
        columns = [r.source for r in self.fields.values() if r.constant is None]
        columns.extend(k for k in self.key if k not in columns)
        return columns

    def missing_columns(self, available: list[str] | set[str]) -> list[str]:
        have = set(available)
        return [c for c in self.source_columns() if c not in have]


_OPTIONS = frozenset(
    {"fields", "key", "namespace", "encoding", "delimiter", "sheet", "repeat", "date_formats",
     "unneutralise"}
)  # fmt: skip


def _checked_options(data: dict[str, Any]) -> tuple[list[str], str, list[str]]:
    """The mapping's key, delimiter and date formats, each of the right shape; text options."""
    key = data.get("key", [])
    if isinstance(key, str):
        key = [key]
    if not isinstance(key, list) or not all(isinstance(k, str) and k for k in key):
        raise MappingError(_("“key” must be a list of source column names."))
    delimiter = data.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise MappingError(_("“delimiter” must be one character."))
    date_formats = data.get("date_formats", [])
    if not isinstance(date_formats, list) or not all(isinstance(f, str) for f in date_formats):
        raise MappingError(_("“date_formats” must be a list of patterns such as %d/%m/%Y."))
    for option in ("namespace", "encoding", "sheet", "repeat"):
        value = data.get(option)
        if value is not None and not isinstance(value, str):
            raise MappingError(_("“%(o)s” must be text.") % {"o": option})
    return key, delimiter, date_formats


def _field_rules(raw_fields: Any, schema: Schema) -> dict[str, ColumnRule]:
    """The mapping's ``fields``: each a field of ``schema``, every required field filled."""
    if not isinstance(raw_fields, dict) or not raw_fields:
        raise MappingError(_("“fields” must map target fields to source columns."))
    targets = schema.field_map()
    rules: dict[str, ColumnRule] = {}
    for name, raw in raw_fields.items():
        if name not in targets:
            raise MappingError(
                _("“%(f)s” is not a field of this import (fields: %(all)s).")
                % {"f": name, "all": ", ".join(targets)}
            )
        rules[name] = _column_rule(name, raw)
    missing = [f.name for f in schema.fields if f.required and f.name not in rules]
    if missing:
        raise MappingError(
            _("The mapping must fill the required field(s): %(f)s.") % {"f": ", ".join(missing)}
        )
    return rules


def _column_rule(name: str, raw: Any) -> ColumnRule:
    if isinstance(raw, str) and raw:
        return ColumnRule(source=raw)
    if isinstance(raw, dict):
        if "value" in raw:
            return ColumnRule(constant=str(raw["value"]))
        source = raw.get("source")
        values = raw.get("values", {})
        if not isinstance(source, str) or not source:
            raise MappingError(_("“%(f)s” needs a “source” column name.") % {"f": name})
        if not isinstance(values, dict):
            raise MappingError(_("“%(f)s”: “values” must map source values.") % {"f": name})
        return ColumnRule(
            source=source,
            default=str(raw.get("default", "") or ""),
            values={str(k): str(v) for k, v in values.items()},
        )
    raise MappingError(_("“%(f)s” must name a source column.") % {"f": name})


def key_hash(namespace: str, parts: list[str]) -> str:
    data = KEY_SEPARATOR.join([namespace, *parts]).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


class RowMapper:
    """Applies a spec to source rows for one schema. Reusable across rows (no per-row setup)."""

    def __init__(self, spec: MappingSpec, schema: Schema) -> None:
        self.spec = spec
        self.targets: list[tuple[str, ColumnRule, Field]] = [
            (name, rule, schema.field_map()[name]) for name, rule in spec.fields.items()
        ]
        self.key_columns = list(spec.key) or [
            r.source for r in spec.fields.values() if r.constant is None
        ]
        self.mapped_columns = {r.source for r in spec.fields.values() if r.constant is None}

    def cell(self, row: SourceRow, column: str) -> str:
        value = row.values.get(column, "")
        value = value.strip()
        return unneutralise(value) if self.spec.unneutralise else value

    def _key_problems(self, number: int, parts: list[str], label: str) -> list[RowProblem]:
        """A NUL in an unmapped key column, or an empty key."""
        problems = [
            RowProblem(number, column, nul_message() + label)
            for column, part in zip(self.key_columns, parts, strict=True)
            if NUL in part and column not in self.mapped_columns
        ]
        if self.spec.key and not any(parts):
            problems.append(
                RowProblem(
                    number,
                    ", ".join(self.spec.key),
                    _("The key column is empty; every row needs a key.") + label,
                )
            )
        return problems

    def apply(self, row: SourceRow) -> tuple[ParsedRow | None, list[RowProblem]]:
        problems: list[RowProblem] = []
        label = f" ({row.label})" if row.label else ""
        if row.problem:
            problems.append(RowProblem(row.number, row.problem_column, row.problem + label))
        values: dict[str, Any] = {}
        for name, rule, target in self.targets:
            if rule.constant is not None:
                raw = rule.constant
                column = name
            else:
                raw = self.cell(row, rule.source)
                column = rule.source
                if NUL in raw:
                    problems.append(RowProblem(row.number, column, nul_message() + label))
                    continue
                if rule.values and raw in rule.values:
                    raw = rule.values[raw]
                if raw == "" and rule.default:
                    raw = rule.default
            if raw == "":
                if target.required:
                    problems.append(
                        RowProblem(
                            row.number,
                            column,
                            _("is empty; %(f)s is required.") % {"f": target.label} + label,
                        )
                    )
                values[name] = None
                continue
            try:
                values[name] = target.parse(raw)
            except (ValueError, ArithmeticError) as exc:
                problems.append(RowProblem(row.number, column, str(exc) + label))
            if len(problems) >= MAX_ERRORS_PER_ROW:
                break
        parts = [self.cell(row, c) for c in self.key_columns]
        problems.extend(self._key_problems(row.number, parts, label))
        if row.key_suffix:
            parts.append(row.key_suffix)
        if problems:
            return None, problems
        return ParsedRow(row.number, key_hash(self.spec.namespace, parts), values, row.label), []
