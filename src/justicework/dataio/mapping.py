"""Column mappings: which source column (CSV/XLSX header, Kobo form path) fills which field.

A mapping is JSON (stored on :class:`~justicework.dataio.models.Mapping`)::

    {
      "fields": {
        "title": "Incident title",                       # target field <- source column
        "violation_type": {"source": "What happened",    # ... with options
                           "values": {"shot": "killing"},  # recode source values
                           "default": "other"},            # used when the cell is empty
        "country": {"value": "UA"},                       # a constant for every row
        "place_name": {"template": "{city}, {state}"}     # several columns (dataio.template)
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
from justicework.dataio.template import Template, parse_template

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
    """The mapping itself is wrong: ``problems`` lists every reason, each naming its field."""

    def __init__(self, problems: str | list[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


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
    template: Template | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The source columns this rule reads."""
        if self.constant is not None:
            return ()
        return self.template.columns if self.template is not None else (self.source,)


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
        """The spec of mapping JSON ``data``; ``MappingError`` listing every problem at once."""
        spec, problems = cls.build(data, schema)
        if problems or spec is None:
            raise MappingError(problems)
        return spec

    @classmethod
    def build(cls, data: Any, schema: Schema) -> tuple[MappingSpec | None, list[str]]:
        """The spec of what is right in ``data`` (``None`` if it is not a mapping at all) and
        every problem found, so that later checks (``dataio.mapping_checks``) add theirs."""
        if not isinstance(data, dict):
            return None, [_("The mapping must be a JSON object.")]
        problem = _mapping_shape_problem(data)
        if problem:
            return None, [problem]
        problems: list[str] = []
        unknown = sorted(set(data) - _OPTIONS)
        if unknown:
            problems.append(_("Unknown mapping option(s): %(o)s.") % {"o": ", ".join(unknown)})
        rules = _field_rules(data.get("fields"), schema, problems)
        key, delimiter, date_formats = _checked_options(data, problems)
        text = {o: data[o] for o in ("namespace", "encoding", "sheet", "repeat")
                if isinstance(data.get(o), str)}  # fmt: skip
        spec = cls(
            fields=rules,
            key=tuple(key),
            namespace=str(text.get("namespace") or schema.kind),
            encoding=str(text.get("encoding") or "utf-8"),
            delimiter=delimiter,
            sheet=text.get("sheet") or None,
            repeat=text.get("repeat") or None,
            date_formats=tuple(date_formats),
            unneutralise=bool(data.get("unneutralise", True)),
        )
        return spec, problems

    def to_dict(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for name, rule in self.fields.items():
            if rule.constant is not None:
                fields[name] = {"value": rule.constant}
            elif rule.template is not None:
                fields[name] = _with_options({"template": rule.template.text}, rule)
            elif not rule.default and not rule.values:
                fields[name] = rule.source
            else:
                fields[name] = _with_options({"source": rule.source}, rule)
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
        columns: list[str] = []
        for rule in self.fields.values():
            columns.extend(c for c in rule.columns if c not in columns)
        columns.extend(k for k in self.key if k not in columns)
        return columns

    def missing_columns(self, available: list[str] | set[str]) -> list[str]:
        have = set(available)
        return [c for c in self.source_columns() if c not in have]


_OPTIONS = frozenset(
    {"fields", "key", "namespace", "encoding", "delimiter", "sheet", "repeat", "date_formats",
     "unneutralise"}
)  # fmt: skip


def _with_options(item: dict[str, Any], rule: ColumnRule) -> dict[str, Any]:
    if rule.default:
        item["default"] = rule.default
    if rule.values:
        item["values"] = dict(rule.values)
    return item


def _checked_options(data: dict[str, Any], problems: list[str]) -> tuple[list[str], str, list[str]]:
    """The mapping's key, delimiter and date formats, each of the right shape; text options.
    Each wrong one adds its reason to ``problems``."""
    key = data.get("key", [])
    if isinstance(key, str):
        key = [key]
    if not isinstance(key, list) or not all(isinstance(k, str) and k for k in key):
        problems.append(_("“key” must be a list of source column names."))
        key = []
    delimiter = data.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        problems.append(_("“delimiter” must be one character."))
        delimiter = ","
    date_formats = data.get("date_formats", [])
    if not isinstance(date_formats, list) or not all(isinstance(f, str) for f in date_formats):
        problems.append(_("“date_formats” must be a list of patterns such as %d/%m/%Y."))
        date_formats = []
    for option in ("namespace", "encoding", "sheet", "repeat"):
        value = data.get(option)
        if value is not None and not isinstance(value, str):
            problems.append(_("“%(o)s” must be text.") % {"o": option})
    return key, delimiter, date_formats


def _field_rules(raw_fields: Any, schema: Schema, problems: list[str]) -> dict[str, ColumnRule]:
    """The mapping's ``fields``: each a field of ``schema``, every required field filled."""
    if not isinstance(raw_fields, dict) or not raw_fields:
        problems.append(_("“fields” must map target fields to source columns."))
        return {}
    targets = schema.field_map()
    rules: dict[str, ColumnRule] = {}
    for name, raw in raw_fields.items():
        if name not in targets:
            problems.append(
                _("“%(f)s” is not a field of this import (fields: %(all)s).")
                % {"f": name, "all": ", ".join(targets)}
            )
            continue
        rule, reasons = _column_rule(name, raw)
        problems.extend(reasons)
        if rule is not None:
            rules[name] = rule
    missing = [f.name for f in schema.fields if f.required and f.name not in raw_fields]
    if missing:
        problems.append(
            _("The mapping must fill the required field(s): %(f)s.") % {"f": ", ".join(missing)}
        )
    return rules


_RULE_KEYS = frozenset({"source", "template", "value", "values", "default"})


def _column_rule(name: str, raw: Any) -> tuple[ColumnRule | None, list[str]]:
    """The rule of field ``name``, or ``None`` and every reason why ``raw`` is not one."""
    if isinstance(raw, str) and raw:
        return ColumnRule(source=raw), []
    if not isinstance(raw, dict):
        return None, [_("“%(f)s” must name a source column.") % {"f": name}]
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        return None, [
            _("“%(f)s”: unknown option(s) %(o)s (a field takes “source”, “template” or “value”, "
              "with “values” and “default”).") % {"f": name, "o": ", ".join(unknown)}
        ]  # fmt: skip
    chosen = [k for k in ("source", "template", "value") if k in raw]
    if len(chosen) > 1:
        return None, [
            _("“%(f)s” has both %(a)s: give one of “source”, “template” or “value”.")
            % {"f": name, "a": " / ".join(f"“{k}”" for k in chosen)}
        ]
    if "value" in raw:
        if raw["value"] is None or isinstance(raw["value"], dict | list):
            return None, [_("“%(f)s”: “value” must be text or a number.") % {"f": name}]
        return ColumnRule(constant=str(raw["value"])), []
    return _source_rule(name, raw)


def _source_rule(name: str, raw: dict[str, Any]) -> tuple[ColumnRule | None, list[str]]:
    problems: list[str] = []
    template: Template | None = None
    source = raw.get("source", "")
    if "template" in raw:
        if not isinstance(raw["template"], str) or not raw["template"]:
            problems.append(_("“%(f)s”: “template” must be text such as “{city}, {state}”.")
                            % {"f": name})  # fmt: skip
        else:
            template, reasons = parse_template(name, raw["template"])
            problems.extend(reasons)
    elif not isinstance(source, str) or not source:
        problems.append(_("“%(f)s” needs a “source” column name.") % {"f": name})
    values = raw.get("values", {})
    if not isinstance(values, dict) or not all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in values.values()
    ):
        problems.append(_("“%(f)s”: “values” must map source values.") % {"f": name})
    default = raw.get("default", "")
    if isinstance(default, dict | list):
        problems.append(_("“%(f)s”: “default” must be text or a number.") % {"f": name})
    if problems:
        return None, problems
    return ColumnRule(
        source=source if template is None else "",
        default=str(default or ""),
        values={str(k): str(v) for k, v in values.items()},
        template=template,
    ), []


def key_hash(namespace: str, parts: list[str]) -> str:
    data = KEY_SEPARATOR.join([namespace, *parts]).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def content_hash(values: dict[str, Any]) -> str:
    """128 bits of SHA-256 over the row's mapped values (sorted by field; ``repr`` of dates,
    numbers and the fuzzy-date pairs is stable): equal for the same values whatever the column
    order or the mapping's field order."""
    text = repr(sorted(values.items())).encode("utf-8", "surrogatepass")
    return hashlib.sha256(text).hexdigest()[:32]


class RowMapper:
    """Applies a spec to source rows for one schema. Reusable across rows (no per-row setup)."""

    def __init__(self, spec: MappingSpec, schema: Schema) -> None:
        self.spec = spec
        self.targets: list[tuple[str, ColumnRule, Field]] = [
            (name, rule, schema.field_map()[name]) for name, rule in spec.fields.items()
        ]
        self.key_columns = list(spec.key) or [c for r in spec.fields.values() for c in r.columns]
        self.mapped_columns = {c for r in spec.fields.values() for c in r.columns}

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
                if rule.template is not None:
                    raw = rule.template.render(lambda c: self.cell(row, c))
                    column = ", ".join(rule.template.columns)
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
        return ParsedRow(
            row.number,
            key_hash(self.spec.namespace, parts),
            values,
            row.label,
            content_hash=content_hash(values),
        ), []
