"""KoboToolbox / ODK submissions: group paths, repeat groups, geolocation, _uuid keys."""

from __future__ import annotations

import json

from justicework.dataio import engine
from justicework.dataio.mapping import MappingSpec
from justicework.dataio.readers import flatten_submission, read_kobo

from .conftest import RowsSchema, created_rows


def kobo(path, results):
    path.write_text(json.dumps({"count": len(results), "results": results}), encoding="utf-8")
    return path


SUBMISSIONS = [
    {
        "_id": 101,
        "_uuid": "0b1c-aaa",
        "_submission_time": "2024-03-01T10:00:00",
        "_geolocation": [50.45, 30.52],
        "person/name": "Ann",
        "person/born": "2001-02-03",
        "colour": "red",
        "victims": [
            {"victims/name": "V1", "victims/count": "3"},
            {"victims/name": "V2", "victims/count": "4"},
        ],
    },
    {"_id": 102, "_uuid": "0b1c-bbb", "person/name": "Bo", "_geolocation": [None, None]},
]


def test_flatten_keeps_group_paths_and_numbers_repeats_from_one():
    flat = flatten_submission(SUBMISSIONS[0])
    assert flat["person/name"] == "Ann"
    assert flat["_geolocation"] == "50.45 30.52"
    assert flat["_geolocation[1]"] == "50.45"
    assert flat["_geolocation[2]"] == "30.52"
    assert flat["victims[count]"] == "2"
    assert flat["victims[2]/name"] == "V2"
    assert flat["_id"] == "101"


def test_submissions_are_imported_through_a_mapping_keyed_by_uuid(rows_schema, acme, tmp_path):
    path = kobo(tmp_path / "k.json", SUBMISSIONS)
    spec = MappingSpec.from_dict(
        {
            "fields": {"name": "person/name", "born": "person/born", "colour": "colour"},
            "key": ["_uuid"],
        },
        RowsSchema(),
    )
    outcome = engine.commit(RowsSchema(), None, acme, path, "kobo", spec)
    assert outcome.committed and outcome.created == 2
    edited = [SUBMISSIONS[0], dict(SUBMISSIONS[1], **{"person/name": "Bo (edited)"})]
    path = kobo(tmp_path / "k2.json", edited)
    again = engine.commit(RowsSchema(), None, acme, path, "kobo", spec)
    assert again.created == 0 and again.skipped == 2
    assert sorted(created_rows()) == ["Ann", "Bo"]


def test_a_repeat_group_gives_one_row_per_entry(rows_schema, acme, tmp_path):
    path = kobo(tmp_path / "k.json", SUBMISSIONS)
    spec = MappingSpec.from_dict(
        {
            "fields": {"name": "victims/name", "count": "victims/count", "colour": "colour"},
            "repeat": "victims",
        },
        RowsSchema(),
    )
    source = read_kobo(path, repeat="victims")
    rows = list(source.rows)
    assert [(r.number, r.values["victims/name"], r.key_suffix) for r in rows] == [
        (1, "V1", "victims[1]"),
        (1, "V2", "victims[2]"),
    ]
    outcome = engine.commit(RowsSchema(), None, acme, path, "kobo", spec)
    assert outcome.created == 2
    assert sorted(created_rows()) == ["V1", "V2"]
    # Keyed by _uuid and the entry by default: a re-run adds nothing.
    assert engine.commit(RowsSchema(), None, acme, path, "kobo", spec).created == 0


def test_errors_in_repeat_entries_name_the_entry(rows_schema, acme, tmp_path):
    bad = [dict(SUBMISSIONS[0], victims=[{"victims/name": "V1", "victims/count": "many"}])]
    path = kobo(tmp_path / "k.json", bad)
    spec = MappingSpec.from_dict(
        {"fields": {"name": "victims/name", "count": "victims/count"}, "repeat": "victims"},
        RowsSchema(),
    )
    found = []
    engine.validate(RowsSchema(), acme, path, "kobo", spec, on_problem=found.append)
    assert [(p.row, p.column) for p in found] == [(1, "victims/count")]
    assert "(victims[1])" in found[0].reason


def test_truncated_kobo_json_is_refused(rows_schema, acme, tmp_path):
    path = kobo(tmp_path / "k.json", SUBMISSIONS)
    path.write_bytes(path.read_bytes()[:-40])
    spec = MappingSpec.from_dict({"fields": {"name": "person/name"}}, RowsSchema())
    outcome = engine.validate(RowsSchema(), acme, path, "kobo", spec)
    assert "Is it truncated?" in outcome.problem.reason


def test_json_that_is_not_submissions_is_refused(rows_schema, acme, tmp_path):
    path = tmp_path / "k.json"
    path.write_text('{"hello": 1}')
    spec = MappingSpec.from_dict({"fields": {"name": "person/name"}}, RowsSchema())
    outcome = engine.validate(RowsSchema(), acme, path, "kobo", spec)
    assert "not a list of KoboToolbox" in outcome.problem.reason
