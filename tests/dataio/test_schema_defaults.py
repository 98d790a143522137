"""``dataio.schema`` below the engine: a vocabulary's terms (labels, matching any spelling,
suggestions), what a schema that implements only ``commit_chunk`` answers to every optional
hook (nothing to update, nothing to export, values shown as read), and the registry."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from justicework.dataio import schema as schemas
from justicework.dataio.schema import Allowed, ExportNotSupported, Field, RowProblem

from .conftest import KIND, RowsSchema

FORCE = Allowed(
    terms=(("lethal_force", "Use of lethal force"), ("detention", "Arbitrary detention")),
    spellings={"Force létale": "lethal_force", "arrest": "detention"},
)


class Coloured(RowsSchema):
    fields = (*RowsSchema.fields, Field("force", "Force", allowed=FORCE))


def test_a_term_is_labelled_and_an_unknown_code_shown_as_it_is():
    assert FORCE.label("detention") == "Arbitrary detention"
    assert FORCE.label("torture") == "torture"


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("lethal_force", "lethal_force"),
        ("LETHAL FORCE", "lethal_force"),
        ("force letale", "lethal_force"),
        ("  Arrest ", "detention"),
        ("torture", ""),
    ],
)
def test_any_accepted_spelling_matches_its_code(spelling, code):
    assert FORCE.match(spelling) == code


def test_suggestions_are_codes_best_first_without_repeats():
    assert FORCE.suggest("lethal forse") == ["lethal_force"]
    assert FORCE.suggest("detent") == ["detention"]
    assert FORCE.suggest("zzz") == []


def test_a_problem_reads_with_its_row_and_column():
    assert str(RowProblem(3, "Born", "not a date")) == "row 3, column 'Born': not a date"
    assert str(RowProblem(7, "", "duplicate key")) == "row 7: duplicate key"


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("name", None, ""),
        ("name", "Ann", "Ann"),
        ("count", 7, "7"),
        ("force", "detention", "Arbitrary detention (detention)"),
        ("force", "torture", "torture (torture)"),
        ("unknown", True, "yes"),
        ("unknown", False, "no"),
    ],
)
def test_a_value_in_a_diff_is_shown_as_a_person_reads_it(name, value, shown):
    assert Coloured().display_value(name, value) == shown


def test_yes_and_no_follow_the_language():
    with translation.override("fr"):
        assert Coloured().display_value("x", True) == "oui"


def test_the_optional_hooks_default_to_nothing(acme):
    schema = RowsSchema()
    assert schema.shipped_mappings() == {}
    assert schema.prepare(acme) is None and schema.prepare_commit(acme) is None
    assert schema.flag_chunk(acme, []) == [] and schema.stored_flags(None) == []
    assert schema.describe_flags(None, acme, ["x"]) == []
    assert schema.stored_values(acme, ["1"]) == {}
    assert schema.may_see_identity(None, acme, ["1"]) == set()
    assert schema.row_value("name", {"name": "Ann"}) == "Ann"
    assert schema.row_value("born", {"name": "Ann"}) is None
    assert schema.export_filters({"status": "open"}) == {}
    assert schema.export_person_ids(None, acme) is None
    assert schema.export_held_back(None, acme) == []


def test_configure_keeps_the_namespace():
    schema = RowsSchema()
    schema.configure("survey-2024", ("%d/%m/%Y",))
    assert schema.namespace == "survey-2024"


def test_a_kind_without_updates_refuses_them(acme):
    with pytest.raises(ValidationError, match="not updated by a re-import"):
        RowsSchema().update_rows(None, acme, [object()], "reason")


def test_only_a_kind_with_export_rows_exports():
    class Exported(RowsSchema):
        def export_rows(self, user, organisation, filters=None):  # type: ignore[no-untyped-def]
            yield ["x"]

    assert not RowsSchema().exports()
    assert Exported().exports()
    with pytest.raises(ExportNotSupported, match=f"kind {KIND!r} cannot be exported"):
        Exported().export_columns(None, None)


def test_the_field_map_is_by_name():
    fields = Coloured().field_map()
    assert list(fields) == ["name", "born", "colour", "count", "force"]
    assert fields["force"].allowed is FORCE and fields["name"].required


def test_the_registry_makes_a_fresh_schema_per_lookup_and_names_unknown_kinds(rows_schema):
    assert isinstance(schemas.get(KIND), RowsSchema)
    assert schemas.get(KIND) is not schemas.get(KIND)
    assert KIND in schemas.kinds() and list(schemas.kinds()) == sorted(schemas.kinds())
    schemas.unregister(KIND)
    schemas.unregister(KIND)  # twice: no error
    with pytest.raises(LookupError, match=f"No import schema registered for {KIND!r}"):
        schemas.get(KIND)
