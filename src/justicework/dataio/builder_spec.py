"""Mapping JSON from the builder's POST, and the builder's initial values from mapping JSON.

Each target field takes at most one of a column, a constant and a template; a recoded value
left blank ("keep as written") is not stored in ``values``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from justicework.dataio.schema import Schema

#: The builder's choice for the mapping option ``unneutralise`` (``dataio.builder``).
UNNEUTRALISE, KEEP_AS_WRITTEN = "1", "0"

_OPTIONS = ("namespace", "encoding", "delimiter", "sheet", "repeat")


def spec_from_post(
    data: Any, schema: Schema, values: dict[str, dict[str, str]]
) -> tuple[dict[str, Any], list[str]]:
    """Mapping JSON for what was posted, and the problems only the form can see."""
    problems: list[str] = []
    fields: dict[str, Any] = {}
    for target in schema.fields:
        rule = _field_rule(data, target.name, values.get(target.name, {}), problems)
        if rule is not None:
            fields[target.name] = rule
    spec: dict[str, Any] = {"fields": fields, "key": list(data.getlist("key"))}
    for option in _OPTIONS:
        text = str(data.get(option, "") or "")
        if text.strip():
            spec[option] = text if option == "delimiter" else text.strip()
    formats = str(data.get("date_formats", "") or "").split()
    if formats:
        spec["date_formats"] = formats
    if str(data.get("unneutralise", "") or "") == KEEP_AS_WRITTEN:
        spec["unneutralise"] = False  # absent or anything else: the default, remove the guard
    return spec, problems


def _field_rule(data: Any, name: str, values: dict[str, str], problems: list[str]) -> Any:
    """The rule of one target field (``None``: not mapped, or a problem added)."""
    column, value, template, default = (
        str(data.get(f"{name}__{part}", "") or "").strip()
        for part in ("column", "value", "template", "default")
    )
    given = [part for part in (column, value, template) if part]
    if len(given) > 1:
        problems.append(
            _("“%(f)s”: choose a column, a value or a template, not several.") % {"f": name}
        )
        return None
    if not given:
        if default:
            problems.append(
                _("“%(f)s”: a value for empty cells needs a column or a template.") % {"f": name}
            )
        return None
    if value:
        return {"value": value}
    rule: dict[str, Any] = {"template": template} if template else {"source": column}
    recoded = {k: v for k, v in values.items() if v} if column else {}
    if recoded:
        rule["values"] = recoded
    if default:
        rule["default"] = default
    return rule if len(rule) > 1 or template else column


def initial_from_spec(spec: Any) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """The builder's initial values for saved mapping JSON, and its recoding per field."""
    initial: dict[str, Any] = {}
    values: dict[str, dict[str, str]] = {}
    if not isinstance(spec, dict):
        return initial, values
    fields = spec.get("fields")
    for name, rule in (fields if isinstance(fields, dict) else {}).items():
        if isinstance(rule, str):
            initial[f"{name}__column"] = rule
        elif isinstance(rule, dict):
            if "value" in rule:
                initial[f"{name}__value"] = str(rule["value"])
            initial[f"{name}__template"] = str(rule.get("template", "") or "")
            initial[f"{name}__column"] = str(rule.get("source", "") or "")
            initial[f"{name}__default"] = str(rule.get("default", "") or "")
            if isinstance(rule.get("values"), dict):
                values[name] = {str(k): str(v) for k, v in rule["values"].items()}
    key = spec.get("key", [])
    initial["key"] = [key] if isinstance(key, str) else key
    for option in _OPTIONS:
        if isinstance(spec.get(option), str):
            initial[option] = spec[option]
    if isinstance(spec.get("date_formats"), list):
        initial["date_formats"] = " ".join(str(f) for f in spec["date_formats"])
    initial["unneutralise"] = KEEP_AS_WRITTEN if spec.get("unneutralise") is False else UNNEUTRALISE
    return initial, values
