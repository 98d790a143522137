"""What the violations forms share: fast selects, choices (countries, vocabularies, acts),
the date rule's verdict on a form, and resolving a unit or person typed by name or code.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from justicework.core import countries
from justicework.violations import vocabularies
from justicework.violations.dates import date_problems
from justicework.violations.models import (
    Person,
    Unit,
)

DateInput = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FastSelect(forms.Select):
    """A ``<select>`` rendered in Python. Django's template-based widget renders one template
    per ``<option>``: with ~250 countries and ~60 acts that dominated the incident list's time.
    Same markup and attributes (``id``, ``aria-describedby``, ``aria-invalid``, ``required``)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', name, flatatt(context["attrs"]))]
        for group_name, options, _index in context["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        "" if option["value"] is None else option["value"],
                        mark_safe(" selected") if option["selected"] else "",  # constant
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("</optgroup>"))  # constant
        parts.append(mark_safe("</select>"))  # constant
        return mark_safe("".join(parts))  # noqa: S308  # every part escaped above


def country_choices(blank: str = "—") -> list[tuple[str, str]]:
    """ISO 3166-1 countries named and sorted in the active UI language, after a blank."""
    return countries.country_choices(blank)


def vocabulary_choices(name: str, *, blank: str | None = "—") -> list[tuple[str, str]]:
    choices = vocabularies.get(name).choices()
    return [("", blank), *choices] if blank is not None else choices


def violation_type_choices(*, groups_selectable: bool) -> list[Any]:
    """Acts grouped under their top-level grouping (``<optgroup>``), narrower acts indented
    under theirs; an act with narrower ones says it leaves the precise act open ("Killing
    (act not specified)"). For filters the groupings themselves are selectable too ("any act
    of this group")."""
    types = vocabularies.get("violation_types")
    result: list[Any] = [("", "—")]
    for root in types.roots():
        acts = []
        under = set(types.descendants(root.code))
        for term in types:  # file order: each act before its narrower ones
            code = term.code
            if code not in under or term.extra.get("group"):
                continue
            label = term.label()
            if types.has_narrower(code) and not groups_selectable:
                label = str(_("%(act)s (act not specified)") % {"act": label})
            depth = len(types.ancestors(code)) - 1  # under the grouping: no indent
            acts.append((code, "\u2003" * depth + label))
        if groups_selectable:
            acts.insert(0, (root.code, str(_("Any: %(group)s") % {"group": root.label()})))
        result.append((root.label(), acts))
    return result


def fast_selects(form: forms.BaseForm) -> None:
    """Swap Django's template-rendered selects for :class:`FastSelect` (call after choices
    are set)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            widget = FastSelect(attrs=field.widget.attrs)
            widget.choices = field.widget.choices
            widget.is_required = field.widget.is_required
            field.widget = widget


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def add_date_problems(form: forms.BaseForm, cleaned: dict[str, Any], *, inherits: bool) -> None:
    """The record's date rule (``violations.dates``), its verdict shown on the form's fields."""
    problems = date_problems(
        cleaned.get("start_date"),
        cleaned.get("end_date"),
        cleaned.get("date_precision"),
        inherits=inherits,
    )
    for field, message in problems.items():
        form.add_error(field, message)


#: A value picked from a lookup list ends with the record's number: "3rd Brigade [#12]".
PICKED = re.compile(r"\[#(\d+)\]\s*$")
#: A record typed by its number alone: "#12".
NUMBER = re.compile(r"^#(\d{1,18})$")


PERSON_PICKER_HELP = _(
    "Type a code (e.g. P-7K2QX), or a full name if you may see identities, and pick the "
    "person from the list."
)
UNIT_PICKER_HELP = _("Type a few letters of the unit's name, or its number, and pick it.")
SOURCE_PICKER_HELP = _("Type words of the source's title or address, or its number, and pick it.")


def picked_label(name: str, pk: int) -> str:
    return f"{name} [#{pk}]"


def picked_number(value: str) -> str | None:
    """The record number in a picked label ("Title [#12]"), "#12" or "12"; None otherwise."""
    match = PICKED.search(value)
    raw = match.group(1) if match else value.strip().lstrip("#")
    return raw if raw.isdigit() else None


def resolve_unit(value: str, units: QuerySet[Unit]) -> Unit:
    """A unit typed by name or picked from the lookup list, among ``units`` (the policy's
    visible units of one organisation). Raises ``forms.ValidationError`` naming the reason."""
    value = value.strip()
    match = PICKED.search(value) or NUMBER.match(value)
    if match:
        unit = units.filter(pk=int(match.group(1))).first()
    else:
        found = list(units.filter(name__iexact=value)[:2])
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several units are called %(name)s: pick one from the list."),
                params={"name": value},
            )
        unit = found[0] if found else None
        if unit is None and value.isdigit():  # a bare number, as a select would post it
            unit = units.filter(pk=int(value)).first()
    if unit is None:
        raise forms.ValidationError(
            _("No unit called %(name)s is recorded in this organisation."), params={"name": value}
        )
    return unit


def resolve_person(value: str, persons: QuerySet[Person]) -> Person:
    """A person typed by code or picked from the look-up list ("P-7K2QX", or "P-7K2QX · name"
    as a browser may fill it), among ``persons`` (the policy's visible persons of one
    organisation)."""
    code = value.strip().split(" ", 1)[0].upper()
    person = persons.filter(code=code).first()
    if person is None:
        raise forms.ValidationError(
            _("No person with the code %(code)s is recorded in this organisation."),
            params={"code": code},
        )
    return person
