"""The mapping builder's form: for each target field of a schema, a column of the uploaded file,
a constant or a template, an optional default and, for a vocabulary field, the recoding of the
column's distinct values (each proposed from the field's allowed terms); the file options and
the mapping's name and key. It turns a POST into mapping JSON (``spec``) for the usual checks
(``dataio.mapping_checks``) and a saved mapping back into its initial values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from justicework.dataio.builder_spec import KEEP_AS_WRITTEN, UNNEUTRALISE
from justicework.dataio.models import FileFormat
from justicework.dataio.profile import FileProfile
from justicework.dataio.schema import Allowed, Field, Schema

#: The file options a builder carries, per format.
FILE_OPTIONS: dict[str, tuple[str, ...]] = {
    FileFormat.CSV: ("encoding", "delimiter"),
    FileFormat.XLSX: ("sheet",),
    FileFormat.KOBO: ("encoding", "repeat"),
}


@dataclass
class Recoding:
    """One distinct value of a vocabulary field's column and what it becomes."""

    index: int
    value: str
    recognised: str = ""  # the term it already spells (imported as it is)
    suggestions: list[str] = field(default_factory=list)
    #: Filled for the page: the choice, its hidden source value, and labels.
    bound: forms.BoundField | None = None
    bound_from: forms.BoundField | None = None
    recognised_label: str = ""
    suggestion_labels: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class TargetRow:
    """What the page shows for one target field."""

    target: Field
    parts: list[forms.BoundField] = field(default_factory=list)
    recodings: list[Recoding] = field(default_factory=list)
    more_values: bool = False

    @property
    def name(self) -> str:
        return self.target.name


def _term_choices(allowed: Allowed) -> list[tuple[str, str]]:
    keep = [("", str(gettext_lazy("(keep as written)")))]
    return keep + [(code, f"{label} ({code})") for code, label in allowed.terms]


class BuilderForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the mapping"), max_length=100, required=False
    )
    namespace = forms.CharField(
        label=gettext_lazy("Namespace of the row keys"), max_length=100, required=False,
        help_text=gettext_lazy("Keeps the keys of unrelated sources apart; default: the kind."),
    )  # fmt: skip
    date_formats = forms.CharField(
        label=gettext_lazy("Other date formats"), max_length=200, required=False,
        help_text=gettext_lazy("Besides ISO 8601, separated by spaces, e.g. %d/%m/%Y %d.%m.%Y"),
    )  # fmt: skip
    unneutralise = forms.ChoiceField(
        label=gettext_lazy("Cells starting with ' followed by =, +, - or @"),
        choices=[
            (UNNEUTRALISE, gettext_lazy("Remove the ' (files exported from JusticeWork)")),
            (KEEP_AS_WRITTEN, gettext_lazy("Keep the ' as written")),
        ],
        required=False, initial=UNNEUTRALISE,
        help_text=gettext_lazy(
            "Our exports put a ' before a cell that starts with =, +, -, @ (or a '), so that "
            "spreadsheets do not run it as a formula; removing it brings the value back exactly. "
            "Keep it only when the file comes from elsewhere and the ' is part of the value."
        ),
    )  # fmt: skip
    encoding = forms.CharField(label=gettext_lazy("Text encoding"), max_length=40, required=False)
    delimiter = forms.CharField(label=gettext_lazy("Delimiter"), max_length=1, required=False,
                                strip=False)  # fmt: skip
    sheet = forms.CharField(label=gettext_lazy("Sheet"), max_length=100, required=False)
    repeat = forms.CharField(
        label=gettext_lazy("Repeat group (one row per entry)"), max_length=200, required=False
    )

    def __init__(
        self, *args: Any, schema: Schema, profile: FileProfile, file_format: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        #: The posted data, editable: recodings shown for the first time get their proposal.
        data: Any = self.data  # a QueryDict when bound (typed as a Mapping by the stubs)
        self.posted: Any = data.copy() if self.is_bound else {}
        if self.is_bound:
            self.data = self.posted
        self.schema = schema
        self.profile = profile
        for option in {"encoding", "delimiter", "sheet", "repeat"} - set(
            FILE_OPTIONS.get(file_format, ())
        ):
            del self.fields[option]
        columns = [("", str(gettext_lazy("— not mapped —")))]
        columns += [(c, c) for c in profile.columns]
        self.fields["key"] = forms.MultipleChoiceField(
            label=gettext_lazy("Columns that identify a row"), choices=columns[1:], required=False,
            help_text=gettext_lazy("So that importing the file again adds nothing twice."),
        )  # fmt: skip
        for target in schema.fields:
            self._add_target(target, columns)

    def _add_target(self, target: Field, columns: list[tuple[str, str]]) -> None:
        name = target.name
        self.fields[f"{name}__column"] = forms.ChoiceField(
            label=gettext_lazy("Column"), choices=columns, required=False
        )
        self.fields[f"{name}__value"] = forms.CharField(
            label=gettext_lazy("or the same value on every row"), required=False, max_length=500
        )
        self.fields[f"{name}__template"] = forms.CharField(
            label=gettext_lazy("or a template of several columns"), required=False,
            max_length=500, help_text=gettext_lazy("e.g. {city}, {state}"),
        )  # fmt: skip
        self.fields[f"{name}__default"] = forms.CharField(
            label=gettext_lazy("Value for an empty cell"), required=False, max_length=500
        )

    def option_fields(self) -> list[forms.BoundField]:
        """The file options this format takes."""
        names = ("encoding", "delimiter", "sheet", "repeat")
        return [self[n] for n in names if n in self.fields]

    def add_recoding(self, target: Field, recoding: Recoding, initial: str) -> None:
        allowed = target.allowed
        assert allowed is not None
        prefix = f"{target.name}__recode__{recoding.index}"
        self.fields[prefix] = forms.ChoiceField(
            label=_("What “%(v)s” becomes") % {"v": recoding.value},
            choices=_term_choices(allowed), required=False, initial=initial,
        )  # fmt: skip
        self.fields[f"{prefix}__from"] = forms.CharField(
            widget=forms.HiddenInput, initial=recoding.value, required=False, strip=False
        )
        if self.is_bound and self.data.get(f"{prefix}__from") != recoding.value:
            self.posted[prefix] = initial  # new to the page (or another column's value)
            self.posted[f"{prefix}__from"] = recoding.value
        recoding.bound, recoding.bound_from = self[prefix], self[f"{prefix}__from"]
        recoding.recognised_label = allowed.label(recoding.recognised)
        recoding.suggestion_labels = [(c, allowed.label(c)) for c in recoding.suggestions]


def target_rows(form: BuilderForm, values: dict[str, dict[str, str]]) -> list[TargetRow]:
    """One row per target field; a vocabulary field mapped to a column gets the recoding of the
    column's distinct values (``values``: the saved or posted recoding, per field)."""
    rows = []
    for target in form.schema.fields:
        parts = ("column", "value", "template", "default")
        row = TargetRow(target, [form[f"{target.name}__{part}"] for part in parts])
        rows.append(row)
        column = chosen(form, target.name, "column")
        if target.allowed is None or not column:
            continue
        row.more_values = column in form.profile.more
        for index, value in enumerate(form.profile.distinct.get(column, [])):
            recoding = Recoding(index, value, recognised=target.allowed.match(value))
            if not recoding.recognised:
                recoding.suggestions = target.allowed.suggest(value)
            saved = values.get(target.name, {}).get(value)
            proposal = recoding.suggestions[0] if recoding.suggestions else ""
            form.add_recoding(target, recoding, saved if saved is not None else proposal)
            row.recodings.append(recoding)
    return rows


def column_samples(profile: FileProfile) -> list[tuple[str, list[str]]]:
    return [(c, profile.samples.get(c, [])) for c in profile.columns]


def chosen(form: BuilderForm, name: str, part: str) -> str:
    """The field's value as posted (a bound form) or as initially shown."""
    key = f"{name}__{part}"
    if form.is_bound:
        return str(form.data.get(key, "") or "")
    return str(form.initial.get(key, "") or "")


def posted_values(data: Any, schema: Schema) -> dict[str, dict[str, str]]:
    """The recoding posted for each vocabulary field: source value → term (blank: as written)."""
    out: dict[str, dict[str, str]] = {}
    for target in schema.fields:
        index = 0
        while f"{target.name}__recode__{index}__from" in data:
            prefix = f"{target.name}__recode__{index}"
            out.setdefault(target.name, {})[data[f"{prefix}__from"]] = data.get(prefix, "")
            index += 1
    return out
