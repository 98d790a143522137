from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from justicework.dataio.models import FileFormat, ImportRun, Mapping
from justicework.dataio.readers import too_deep_message


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    file_format = forms.ChoiceField(label=_("Format"), choices=FileFormat.choices)
    mapping = forms.ModelChoiceField(
        label=_("Mapping"), queryset=Mapping.objects.none(), required=False
    )
    mode = forms.ChoiceField(
        label=_("If the import stops half-way"),
        choices=ImportRun.Mode.choices,
        initial=ImportRun.Mode.ATOMIC,
    )

    def __init__(self, *args: Any, mappings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if mappings is not None:
            self.fields["mapping"].queryset = mappings  # type: ignore[attr-defined]  # ModelChoiceField


class ChooseMappingForm(forms.Form):
    mapping = forms.ModelChoiceField(label=_("Mapping"), queryset=Mapping.objects.none())
    mode = forms.ChoiceField(
        label=_("If the import stops half-way"), choices=ImportRun.Mode.choices
    )

    def __init__(self, *args: Any, mappings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if mappings is not None:
            self.fields["mapping"].queryset = mappings  # type: ignore[attr-defined]  # ModelChoiceField


class MappingForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    file_format = forms.ChoiceField(label=_("Format"), choices=FileFormat.choices)
    spec = forms.CharField(
        label=_("Mapping (JSON)"),
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "dir": "ltr"}),
        help_text=_("See “Mapping format” below for the fields and options."),
    )

    def clean_spec(self) -> Any:
        try:
            return json.loads(self.cleaned_data["spec"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("This is not valid JSON (line %(line)s): %(msg)s"),
                params={"line": exc.lineno, "msg": exc.msg},
            ) from exc
        except RecursionError as exc:
            raise forms.ValidationError(too_deep_message(str(_("The mapping")))) from exc
