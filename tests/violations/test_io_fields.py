"""The import's columns are named in every UI language (their labels are in the catalogues)."""

from __future__ import annotations

import pytest
from django.utils import translation

from justicework.violations.dates import DatePrecision
from justicework.violations.io_fields import violation_fields


@pytest.mark.parametrize("language", ["ru", "ar"])
def test_every_import_column_label_is_translated(language):
    english = {field.name: str(field.label) for field in violation_fields(())}
    with translation.override(language):
        untranslated = [
            field.name for field in violation_fields(()) if str(field.label) == english[field.name]
        ]
    assert untranslated == []


@pytest.mark.parametrize("language", ["fr", "es", "ru", "ar"])
def test_date_precisions_are_translated(language):
    english = {value: str(label) for value, label in DatePrecision.choices}
    with translation.override(language):
        same = [value for value, label in DatePrecision.choices if str(label) == english[value]]
    assert same == []


def test_vocabulary_labels_are_read_in_the_language_active_when_shown():
    from django.utils import translation

    from justicework.violations import vocabularies

    with translation.override("en"):
        fields = [f for f in violation_fields(()) if f.allowed is not None and f.allowed.terms]
    assert fields
    field = next(f for f in fields if f.name == "type")
    code, label = field.allowed.terms[0]
    term = next(t for t in vocabularies.get("violation_types") if t.code == code)
    for language in ["en", "fr", "ar"]:
        with translation.override(language):
            assert str(label) == term.label(language)
    assert term.label("fr") != term.label("en")
