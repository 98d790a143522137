"""One key per namespace: a mapping that keys a used namespace with other columns is refused
(the action, the mapping page, the command line, the check and the import), with the reason;
a new namespace, or a namespace nobody imported into, is accepted. There is no mapping or
import endpoint in the API, so nothing to refuse there."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.urls import reverse

from justicework.dataio import actions, namespaces
from justicework.dataio.models import ImportedRow, ImportRun, Mapping

from .conftest import HEADER, KIND, SPEC, good_rows, write_csv
from .test_commands_import import run_import

BY_NAME = {**SPEC, "key": ["Name"]}


@pytest.fixture
def mapping(rows_schema, cast):
    return actions.save_mapping(
        cast.documenter, cast.acme, kind=KIND, name="Rows", file_format="csv", spec=SPEC
    )


@pytest.fixture
def good_file(tmp_path):
    return write_csv(tmp_path / "rows.csv", [HEADER, *good_rows(3)])


def imported(cast, mapping, path) -> ImportRun:
    run = actions.import_file(
        cast.documenter, cast.acme, kind=KIND, path=path, file_format="csv", mapping=mapping
    )
    assert run.status == ImportRun.Status.COMMITTED
    return run


def save(cast, spec, name="Rows"):
    return actions.save_mapping(
        cast.documenter, cast.acme, kind=KIND, name=name, file_format="csv", spec=spec
    )


def test_the_run_records_the_namespace_and_key_it_used(cast, mapping, good_file):
    run = imported(cast, mapping, good_file)
    assert (run.namespace, run.key_columns) == (KIND, ["ID"])


def test_a_new_key_under_a_used_namespace_is_refused_with_the_reason(cast, mapping, good_file):
    imported(cast, mapping, good_file)
    with pytest.raises(ValidationError) as caught:
        save(cast, BY_NAME)
    (message,) = caught.value.message_dict["key"]
    assert "“testrows”" in message and "“ID”" in message and "“Name”" in message
    assert "new namespace" in message
    assert Mapping.objects.get().spec["key"] == ["ID"]  # unchanged
    with pytest.raises(ValidationError):
        save(cast, BY_NAME, name="Another mapping")  # any mapping, not only the one used


def test_a_new_namespace_takes_any_key(cast, mapping, good_file):
    imported(cast, mapping, good_file)
    saved = save(cast, {**BY_NAME, "namespace": "second-source"})
    assert saved.spec["key"] == ["Name"] and saved.spec["namespace"] == "second-source"


def test_the_same_key_and_unused_namespaces_are_accepted(cast, mapping, good_file):
    save(cast, BY_NAME)  # nothing imported yet: the key may change
    save(cast, SPEC)
    run = actions.start_run(
        cast.documenter, cast.acme, kind=KIND, file_format="csv", filename="rows.csv",
        chunks=[good_file.read_bytes()], mapping=mapping,
    )  # fmt: skip
    actions.dry_run(cast.documenter, run)  # a check imports nothing
    save(cast, BY_NAME)
    save(cast, SPEC)
    imported(cast, Mapping.objects.get(), good_file)
    save(cast, {**SPEC, "fields": {**SPEC["fields"], "count": "Count"}})  # same key


def test_a_mapping_without_key_is_keyed_by_every_mapped_column(cast, rows_schema, good_file):
    unkeyed = save(cast, {**SPEC, "key": []})
    imported(cast, unkeyed, good_file)
    fewer = {"fields": {"name": "Name", "born": "Born", "colour": "Colour"}, "key": []}
    with pytest.raises(ValidationError, match="doubling"):
        save(cast, fewer)


def test_runs_from_before_are_read_from_their_checked_mapping(cast, mapping, good_file):
    run = imported(cast, mapping, good_file)
    legacy = {"namespace": "", "key_columns": None, "validated_spec": SPEC | {"namespace": KIND}}
    ImportRun.objects.filter(pk=run.pk).update(**legacy)
    assert namespaces.used_keys(cast.acme, KIND, KIND) == [["ID"]]
    with pytest.raises(ValidationError):
        save(cast, BY_NAME)


def test_checking_or_importing_with_a_conflicting_mapping_is_refused(cast, mapping, good_file):
    imported(cast, mapping, good_file)
    other = Mapping.objects.create(
        organisation=cast.acme, kind=KIND, name="Old", file_format="csv", spec=BY_NAME
    )  # saved before this check existed
    rows = ImportedRow.objects.count()
    with pytest.raises(ValidationError, match="doubling"):
        actions.import_file(cast.documenter, cast.acme, kind=KIND, path=good_file,
                            file_format="csv", mapping=other)  # fmt: skip
    run = actions.start_run(
        cast.documenter, cast.acme, kind=KIND, file_format="csv", filename="rows.csv",
        chunks=[good_file.read_bytes()], mapping=other,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="doubling"):
        actions.dry_run(cast.documenter, run)
    assert ImportedRow.objects.count() == rows
    assert ImportRun.objects.filter(mapping=other, status=ImportRun.Status.COMMITTING).count() == 0


def test_the_mapping_page_refuses_a_new_key_and_says_why(login, cast, mapping, good_file):
    imported(cast, mapping, good_file)
    url = reverse("dataio:mapping_edit", args=[KIND, mapping.pk])
    response = login(cast.documenter).post(
        url, {"name": "Rows", "file_format": "csv", "spec": json.dumps(BY_NAME)}
    )
    assert response.status_code == 422
    assert "doubling the records" in response.content.decode()
    assert Mapping.objects.get().spec["key"] == ["ID"]


def test_the_command_line_refuses_a_new_key_and_says_why(cast, mapping, good_file, tmp_path):
    imported(cast, mapping, good_file)
    spec_file = tmp_path / "mapping.json"
    spec_file.write_text(json.dumps(BY_NAME), encoding="utf-8")
    with pytest.raises(CommandError, match="doubling the records"):
        run_import(KIND, str(good_file), "--mapping", "Rows", "--save-mapping", str(spec_file))
    assert Mapping.objects.get().spec["key"] == ["ID"]
    spec_file.write_text(json.dumps({**BY_NAME, "namespace": "other"}), encoding="utf-8")
    out, _err, code = run_import(
        KIND, str(good_file), "--mapping", "Rows", "--save-mapping", str(spec_file), "--dry-run"
    )
    assert code is None and "Dry run" in out


def test_the_run_page_says_why_a_check_with_a_conflicting_mapping_is_refused(
    login, cast, mapping, good_file
):
    imported(cast, mapping, good_file)
    other = Mapping.objects.create(
        organisation=cast.acme, kind=KIND, name="Old", file_format="csv", spec=BY_NAME
    )
    run = actions.start_run(
        cast.documenter, cast.acme, kind=KIND, file_format="csv", filename="rows.csv",
        chunks=[good_file.read_bytes()], mapping=other,
    )  # fmt: skip
    client = login(cast.documenter)
    client.post(reverse("dataio:run_check", args=[run.pk]))
    page = client.get(reverse("dataio:run", args=[run.pk])).content.decode()
    assert "doubling the records" in page
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UPLOADED and not run.progress_id
