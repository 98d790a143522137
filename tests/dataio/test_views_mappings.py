"""Mapping pages (generic ``testrows`` kind): a new mapping starts from the required fields,
saving creates or replaces and is audited, bad JSON and bad specs are refused on the spec field
with nothing saved, a mapping keeps its name, deleting is audited, and other organisations'
mappings are 404."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.dataio import actions
from justicework.dataio.models import Mapping

from .conftest import KIND, SPEC

NEW = reverse("dataio:mapping_new", args=[KIND])


@pytest.fixture
def mapping(rows_schema, cast):
    return actions.save_mapping(
        cast.documenter, cast.acme, kind=KIND, name="Rows", file_format="csv", spec=SPEC
    )


def edit(mapping: Mapping) -> str:
    return reverse("dataio:mapping_edit", args=[KIND, mapping.pk])


def form_data(**overrides) -> dict[str, str]:
    data = {"name": "Survey", "file_format": "csv", "spec": json.dumps(SPEC)}
    data.update(overrides)
    return data


def audit(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def test_a_new_mapping_starts_from_the_required_fields(login, cast, rows_schema):
    response = login(cast.documenter).get(NEW)
    assert response.status_code == 200
    initial = json.loads(response.context["form"].initial["spec"])
    assert initial == {"fields": {"name": ""}, "key": []}
    assert response.context["form"].initial["file_format"] == "csv"
    # The page documents every field of the kind.
    for field in ("name", "born", "colour", "count"):
        assert f"<code>{field}</code>".encode() in response.content


def test_saving_a_new_mapping_creates_it_and_audits_it(login, cast, rows_schema):
    response = login(cast.documenter).post(NEW, form_data(file_format="xlsx"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dataio:index", args=[KIND])
    assert "Mapping “Survey” saved." in [str(m) for m in response.context["messages"]]
    saved = Mapping.objects.get()
    assert (saved.organisation, saved.kind, saved.name, saved.file_format) == (
        cast.acme,
        KIND,
        "Survey",
        "xlsx",
    )
    assert saved.spec["fields"]["name"] == "Name" and saved.spec["key"] == ["ID"]
    (entry,) = audit("dataio.mapping.created")
    assert entry.diff == {"name": "Survey", "kind": KIND}
    assert entry.actor_id == cast.documenter.pk


def test_saving_under_an_existing_name_replaces_its_spec(login, cast, mapping):
    changed = {**SPEC, "key": ["ID", "Name"]}
    login(cast.documenter).post(NEW, form_data(name="Rows", spec=json.dumps(changed)))
    assert Mapping.objects.count() == 1
    mapping.refresh_from_db()
    assert mapping.spec["key"] == ["ID", "Name"]
    (entry,) = audit("dataio.mapping.updated")
    assert "spec" in entry.diff


@pytest.mark.parametrize(
    "spec, says",
    [
        ("{not json", "This is not valid JSON (line 1)"),
        ('{"fields": {"shoe_size": "Shoe"}}', "shoe_size"),
        ('{"fields": {}}', "“fields” must map target fields to source columns."),
        ('{"fields": {"colour": "Colour"}}', "must fill the required field(s): name"),
        ("[1, 2]", "The mapping must be a JSON object."),
    ],
)
def test_a_bad_spec_is_refused_on_the_spec_field_and_nothing_is_saved(
    login, cast, rows_schema, spec, says
):
    response = login(cast.documenter).post(NEW, form_data(spec=spec))
    assert response.status_code == 422
    errors = " ".join(response.context["form"].errors.get("spec", []))
    assert errors and says in errors
    assert not Mapping.objects.exists()
    assert not audit("dataio.mapping.created")


def test_a_spec_nested_too_deep_is_refused_without_a_crash(login, cast, rows_schema):
    response = login(cast.documenter).post(NEW, form_data(spec="[" * 50_000 + "]" * 50_000))
    assert response.status_code == 422
    assert response.context["form"].errors["spec"]
    assert not Mapping.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"file_format": "pdf"}, "file_format"),
    ],
)
def test_a_bad_name_or_format_is_refused_by_field(login, cast, rows_schema, overrides, field):
    response = login(cast.documenter).post(NEW, form_data(**overrides))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Mapping.objects.exists()


def test_a_name_of_only_spaces_is_refused_by_the_action(login, cast, rows_schema):
    response = login(cast.documenter).post(NEW, form_data(name="   "))
    assert response.status_code == 422
    assert not Mapping.objects.exists()


def test_the_edit_page_shows_the_saved_spec(login, cast, mapping):
    response = login(cast.documenter).get(edit(mapping))
    assert response.status_code == 200
    assert json.loads(response.context["form"].initial["spec"]) == mapping.spec
    assert response.context["form"].initial["name"] == "Rows"
    assert b"Delete this mapping" in response.content


def test_editing_keeps_the_mappings_name_whatever_the_form_says(login, cast, mapping):
    changed = {**SPEC, "key": ["Name"]}
    response = login(cast.documenter).post(
        edit(mapping), form_data(name="Renamed", spec=json.dumps(changed), file_format="xlsx")
    )
    assert response.status_code == 302
    mapping.refresh_from_db()
    assert mapping.name == "Rows"
    assert (mapping.file_format, mapping.spec["key"]) == ("xlsx", ["Name"])
    assert not Mapping.objects.filter(name="Renamed").exists()


def test_an_edit_with_a_bad_spec_changes_nothing(login, cast, mapping):
    before = mapping.spec
    response = login(cast.documenter).post(
        edit(mapping), form_data(spec='{"fields": {"colour": "Colour"}}')
    )
    assert response.status_code == 422
    mapping.refresh_from_db()
    assert mapping.spec == before
    assert not audit("dataio.mapping.updated")


def test_a_mapping_of_another_kind_is_not_found_under_this_kind(login, cast, mapping):
    url = reverse("dataio:mapping_edit", args=["violations", mapping.pk])
    assert login(cast.documenter).get(url).status_code == 404


def test_deleting_a_mapping_removes_it_audits_it_and_returns_to_the_import_page(
    login, cast, mapping
):
    response = login(cast.documenter).post(
        reverse("dataio:mapping_delete", args=[mapping.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dataio:index", args=[KIND])
    assert "Mapping deleted." in [str(m) for m in response.context["messages"]]
    assert not Mapping.objects.exists()
    (entry,) = audit("dataio.mapping.deleted")
    assert entry.diff == {"name": "Rows"} and entry.actor_id == cast.documenter.pk


def test_deleting_answers_post_only(login, cast, mapping):
    url = reverse("dataio:mapping_delete", args=[mapping.pk])
    assert login(cast.documenter).get(url).status_code == 405
    assert Mapping.objects.exists()


def test_a_run_keeps_its_record_when_its_mapping_is_deleted(login, cast, mapping):
    run = actions.start_run(
        cast.documenter, cast.acme, kind=KIND, file_format="csv", filename="rows.csv",
        chunks=[b"ID,Name,Born,Colour,Count\nr1,Ann,,,\n"], mapping=mapping,
    )  # fmt: skip
    login(cast.documenter).post(reverse("dataio:mapping_delete", args=[mapping.pk]))
    run.refresh_from_db()
    assert run.mapping is None


@pytest.mark.parametrize("who", ["outsider", "viewer", "analyst"])
def test_someone_without_import_in_acme_cannot_see_change_or_delete_its_mapping(
    login, cast, mapping, who
):
    client = login(getattr(cast, who))
    assert client.get(edit(mapping)).status_code == 404
    changed = form_data(spec='{"fields": {"name": "X"}}')
    assert client.post(edit(mapping), changed).status_code == 404
    assert client.post(reverse("dataio:mapping_delete", args=[mapping.pk])).status_code == 404
    mapping.refresh_from_db()
    assert mapping.spec["fields"]["name"] == "Name"
    assert not audit("dataio.mapping.updated") and not audit("dataio.mapping.deleted")


def test_the_outsider_saves_a_mapping_of_the_same_name_in_their_own_organisation(
    login, cast, mapping
):
    login(cast.outsider).post(NEW, form_data(name="Rows"))
    assert Mapping.objects.filter(name="Rows").count() == 2
    theirs = Mapping.objects.get(name="Rows", organisation=cast.beacon)
    assert theirs.created_by == cast.outsider
    mapping.refresh_from_db()
    assert mapping.spec["key"] == ["ID"]
