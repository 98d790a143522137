"""Every check of a mapping, run when it is saved, all problems at once: its shape
(``MappingSpec.build``), the file's columns or Kobo paths when a file is at hand (each unknown
one with the nearest existing ones), the constants, defaults and recoded values (each parsed as
the import will parse it: an unknown term is refused with the nearest terms), and the fields
that are dropped without another (a place needs its country)."""

from __future__ import annotations

import difflib
from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _

from justicework.dataio.mapping import ColumnRule, MappingError, MappingSpec
from justicework.dataio.schema import Field, Schema


def check_mapping(
    data: Any, schema: Schema, *, columns: Collection[str] | None = None, kobo: bool = False
) -> MappingSpec:
    """The spec of mapping JSON ``data``, or ``MappingError`` listing every problem. With
    ``columns`` (the file's header, or its Kobo field paths with ``kobo``) the columns the
    mapping reads are checked against them."""
    spec, problems = MappingSpec.build(data, schema)
    if spec is not None:
        schema.configure(spec.namespace, spec.date_formats)
        targets = schema.field_map()
        for name, rule in spec.fields.items():
            problems.extend(_value_problems(targets[name], rule))
        problems.extend(_needs_problems(schema, spec))
        if columns is not None:
            problems.extend(column_problems(spec, columns, kobo=kobo))
    if problems:
        raise MappingError(problems)
    assert spec is not None
    return spec


def _value_problems(target: Field, rule: ColumnRule) -> list[str]:
    """The constant, the default and each recoded value, parsed as the import parses them."""
    problems: list[str] = []
    given: list[tuple[str, str]] = []
    if rule.constant is not None:
        given.append((_("the constant"), rule.constant))
    if rule.default:
        given.append((_("the default"), rule.default))
    given.extend((_("the value %(v)r recoded") % {"v": k}, v) for k, v in rule.values.items())
    for what, value in given:
        if value == "":
            continue
        try:
            target.parse(value)
        except (ValueError, ArithmeticError) as exc:
            problems.append(
                _("“%(f)s”: %(what)s: %(reason)s") % {"f": target.name, "what": what, "reason": exc}
            )
    return problems


def _needs_problems(schema: Schema, spec: MappingSpec) -> list[str]:
    problems = []
    for target in schema.fields:
        if target.needs and target.name in spec.fields and target.needs not in spec.fields:
            problems.append(
                _("“%(f)s” is mapped but “%(n)s” is not: %(why)s. Map a column or a constant to "
                  "“%(n)s”, or it is left out of every row.")
                % {"f": target.name, "n": target.needs, "why": target.needs_why}
            )  # fmt: skip
    return problems


def column_problems(
    spec: MappingSpec, columns: Collection[str], *, kobo: bool = False
) -> list[str]:
    """Each column the mapping reads that the file does not have, with the nearest it has.
    Kobo submissions carry no form definition: their paths are those answered in at least one
    submission, so the message says a path may also be a question nobody answered."""
    have = list(columns)
    problems = []
    for column in spec.missing_columns(have):
        users = [n for n, r in spec.fields.items() if column in r.columns]
        if column in spec.key:
            users.append("key")
        where = ", ".join(f"“{u}”" for u in users)
        if kobo:  # a path is known only from the answers: a typo and a question never answered
            # look the same (KoboToolbox leaves unanswered questions out of a submission)
            message = _(
                "%(where)s: no submission has a value at %(c)r. Check the spelling; a question "
                "left unanswered in every submission also looks like this."
            )
        else:
            message = _("%(where)s: the file has no column %(c)r.")
        message %= {"where": where, "c": column}
        near = difflib.get_close_matches(column, have, n=3, cutoff=0.5)
        near += [c for c in have if c.casefold() == column.casefold() and c not in near]
        if near:
            message += " " + _("Did you mean: %(near)s?") % {
                "near": ", ".join(repr(c) for c in near[:3])
            }
        else:
            message += " " + _("Its columns: %(have)s.") % {
                "have": ", ".join(repr(c) for c in have[:30]) + (" …" if len(have) > 30 else "")
            }
        problems.append(message)
    return problems
