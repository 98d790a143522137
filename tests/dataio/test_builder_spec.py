"""``dataio.builder_spec``: the mapping builder's POST becomes mapping JSON (a column, a
constant or a template per field, recoded values, file options), the problems only the form can
see are named by field, and saved JSON gives back the builder's initial values."""

from __future__ import annotations

from django.http import QueryDict

from justicework.dataio.builder_spec import (
    KEEP_AS_WRITTEN,
    UNNEUTRALISE,
    initial_from_spec,
    spec_from_post,
)

from .conftest import RowsSchema


def post(**fields: str | list[str]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        if isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    return data


def test_each_field_takes_a_column_a_constant_or_a_template():
    spec, problems = spec_from_post(
        post(name__column=" Name ", colour__value="red", born__template="{Year}-{Month}-01",
             key=["ID", "Round"]),
        RowsSchema(), {},
    )  # fmt: skip
    assert problems == []
    assert spec == {
        "fields": {
            "name": "Name",
            "colour": {"value": "red"},
            "born": {"template": "{Year}-{Month}-01"},
        },
        "key": ["ID", "Round"],
    }


def test_recoded_values_and_a_default_make_a_rule_and_blank_recodings_are_left_out():
    spec, problems = spec_from_post(
        post(colour__column="Colour", colour__default="green", count__column="Count"),
        RowsSchema(), {"colour": {"rouge": "red", "vert": ""}, "count": {"": ""}},
    )  # fmt: skip
    assert problems == []
    assert spec["fields"] == {
        "colour": {"source": "Colour", "values": {"rouge": "red"}, "default": "green"},
        "count": "Count",
    }


def test_recodings_apply_to_a_column_only():
    spec, _problems = spec_from_post(
        post(colour__template="{Colour}"), RowsSchema(), {"colour": {"rouge": "red"}}
    )
    assert spec["fields"] == {"colour": {"template": "{Colour}"}}


def test_two_ways_for_one_field_are_refused_by_name():
    spec, problems = spec_from_post(
        post(name__column="Name", name__value="Ann", count__column="Count"), RowsSchema(), {}
    )
    assert problems == ["“name”: choose a column, a value or a template, not several."]
    assert spec["fields"] == {"count": "Count"}


def test_a_default_without_a_column_or_template_is_refused_by_name():
    spec, problems = spec_from_post(post(born__default="2000-01-01"), RowsSchema(), {})
    assert problems == ["“born”: a value for empty cells needs a column or a template."]
    assert spec["fields"] == {}


def test_file_options_are_kept_when_given_the_delimiter_as_typed():
    spec, _problems = spec_from_post(
        post(namespace=" survey ", encoding="cp1252", delimiter=" ", sheet="", repeat=" ",
             date_formats="%d/%m/%Y  %Y", unneutralise=KEEP_AS_WRITTEN),
        RowsSchema(), {},
    )  # fmt: skip
    assert spec["namespace"] == "survey" and spec["encoding"] == "cp1252"
    assert "delimiter" not in spec and "sheet" not in spec and "repeat" not in spec
    assert spec["date_formats"] == ["%d/%m/%Y", "%Y"]
    assert spec["unneutralise"] is False


def test_a_tab_delimiter_survives_and_the_guard_is_removed_by_default():
    spec, _problems = spec_from_post(post(delimiter=";", unneutralise=UNNEUTRALISE),
                                     RowsSchema(), {})  # fmt: skip
    assert spec["delimiter"] == ";"
    assert "unneutralise" not in spec


def test_saved_json_gives_back_the_builders_values():
    spec = {
        "fields": {
            "name": "Name",
            "colour": {"source": "Colour", "values": {"rouge": "red"}, "default": "green"},
            "born": {"template": "{Y}-01-01"},
            "count": {"value": 3},
        },
        "key": "ID",
        "encoding": "cp1252",
        "date_formats": ["%d/%m/%Y"],
        "unneutralise": False,
    }
    initial, values = initial_from_spec(spec)
    assert initial["name__column"] == "Name"
    assert (initial["colour__column"], initial["colour__default"]) == ("Colour", "green")
    assert initial["born__template"] == "{Y}-01-01" and initial["born__column"] == ""
    assert initial["count__value"] == "3"
    assert initial["key"] == ["ID"] and initial["encoding"] == "cp1252"
    assert initial["date_formats"] == "%d/%m/%Y"
    assert initial["unneutralise"] == KEEP_AS_WRITTEN
    assert values == {"colour": {"rouge": "red"}}


def test_json_round_trips_through_the_builder():
    spec = {
        "fields": {"name": "Name", "colour": {"source": "Colour", "values": {"r": "red"}}},
        "key": ["ID"],
        "delimiter": ";",
    }
    initial, values = initial_from_spec(spec)
    again, problems = spec_from_post(post(**initial), RowsSchema(), values)
    assert problems == [] and again == spec


def test_json_that_is_not_a_mapping_gives_an_empty_builder():
    assert initial_from_spec(["not", "a", "mapping"]) == ({}, {})
    initial, values = initial_from_spec({"fields": "oops"})
    assert values == {} and initial["unneutralise"] == UNNEUTRALISE and initial["key"] == []
