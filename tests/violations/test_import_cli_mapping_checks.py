"""`justicework import violations ...` checks the mapping against the file at hand and prints
every problem at once, one per line, never a Python repr; a mistyped Kobo path is named with
the nearest paths of the submissions."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from justicework.dataio.models import Mapping
from justicework.violations.models import Violation

from .test_import import MAPPING, csv_file, row


def _call(cast: Any, path: Any, *extra: str) -> str:
    out = io.StringIO()
    call_command(
        "import", "violations", str(path), "--organisation", cast.acme.slug,
        "--as", cast.documenter.email, "--mapping", "Survey", *extra,
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    return out.getvalue()


def _mapping_file(tmp_path: Any, data: Any) -> str:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_every_problem_of_a_saved_mapping_is_printed_at_once_without_a_repr(
    cast: Any, tmp_path: Any
) -> None:
    fields = {**MAPPING["fields"], "victim_outcome": {"source": "Act", "values": {"x": "alve"}}}
    fields["incident_title"] = "Titel"
    fields["nonsense"] = "Title"
    del fields["country"]
    data = {**MAPPING, "fields": fields}
    path = csv_file(tmp_path, [row(1)])
    with pytest.raises(CommandError) as caught:
        _call(cast, path, "--save-mapping", _mapping_file(tmp_path, data))
    text = str(caught.value)
    assert text.startswith("The mapping has 6 problem(s):\n  - ")
    assert "“nonsense” is not a field of this import" in text
    assert "“incident_title”: the file has no column 'Titel'. Did you mean: 'Title'?" in text
    assert "“victim_outcome”: the value 'x' recoded: 'alve' is not a known" in text
    assert "a place needs its country" in text
    assert "{'spec'" not in text and "ValidationError" not in text
    assert not Mapping.objects.exists()
    assert Violation.objects.count() == 0


def test_a_mistyped_kobo_path_is_refused_with_the_nearest_paths(cast: Any, tmp_path: Any) -> None:
    submissions = [
        {"_uuid": "u1", "case/ref": "K1", "case/title": "Raid", "act": "killing"},
        {"_uuid": "u2", "case/ref": "K2", "case/title": "Raid 2", "act": "killing"},
    ]
    path = tmp_path / "survey.json"
    path.write_text(json.dumps({"results": submissions}), encoding="utf-8")
    data = {"fields": {"incident_ref": "case/ref", "incident_title": "case/titel", "type": "act"}}
    with pytest.raises(CommandError) as caught:
        _call(cast, path, "--dry-run", "--save-mapping", _mapping_file(tmp_path, data))
    assert "“incident_title”: no submission has a value at 'case/titel'." in str(caught.value)
    assert "unanswered in every submission also looks like this. Did you mean: " in str(
        caught.value
    )
    assert "'case/title'" in str(caught.value)


def test_a_saved_mapping_is_checked_against_a_new_kobo_file_before_its_dry_run(
    cast: Any, tmp_path: Any
) -> None:
    from justicework.dataio import actions

    data = {"fields": {"incident_ref": "case/ref", "incident_title": "case/titel", "type": "act"}}
    actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="kobo", spec=data
    )
    path = tmp_path / "survey.json"
    path.write_text(json.dumps([{"_uuid": "u", "case/ref": "1", "case/title": "t"}]), "utf-8")
    with pytest.raises(CommandError, match="no submission has a value at 'case/titel'"):
        _call(cast, path, "--dry-run")


def test_a_right_mapping_with_a_template_imports_through_the_cli(cast: Any, tmp_path: Any) -> None:
    fields = {**MAPPING["fields"], "place_name": {"template": "{Place}, {Country}"}}
    path = csv_file(tmp_path, [row(1)])
    out = _call(
        cast, path, "--save-mapping", _mapping_file(tmp_path, {**MAPPING, "fields": fields})
    )
    assert "1 created" in out
    incident = Violation.objects.get().incident
    assert incident.locations.get().place_name == "Kharkiv, UA"
