"""The mapping builder page of an uploaded file: columns with samples, a column, a constant or a
template per field, recoding of vocabulary values with suggestions; saving checks everything at
once, saves through the actions (audited) and chooses the mapping for the run. Allow and deny."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.dataio import actions
from justicework.dataio.models import ImportRun, Mapping

HEADER = ["Case", "Headline", "Act", "City", "State", "Nation"]
ROWS = [
    ["C1", "Raid on a village", "Killing", "Izium", "Kharkiv Oblast", "UA"],
    ["C2", "Arrest at a checkpoint", "arbitrary detention", "Bucha", "", "UA"],
    ["C3", "Shot at the market", "Kiling", "Kherson", "Kherson Oblast", "UA"],
    ["C4", "Found in a forest", "shot dead", "Lyman", "Donetsk Oblast", "UA"],
]


def login(client: Client, user: Any) -> Client:
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    client.force_login(user)
    return client


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode()


@pytest.fixture
def run(cast: Any) -> ImportRun:
    return actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="list.csv",
        chunks=[csv_bytes(ROWS)],
    )  # fmt: skip


def url(run: ImportRun) -> str:
    return reverse("dataio:run_builder", args=[run.pk])


def picks(**extra: str) -> dict[str, str]:
    data = {
        "name": "Killings list",
        "incident_ref__column": "Case",
        "incident_title__column": "Headline",
        "type__column": "Act",
        "place_name__template": "{City}, {State}",
        "country__value": "UA",
        "key": "Case",
    }
    data.update(extra)
    return data


def test_documenter_sees_the_columns_and_the_allowed_terms_and_values_only_when_asked(
    client: Client, cast: Any, run: ImportRun
) -> None:
    response = login(client, cast.documenter).get(url(run))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in ("Headline", "Incident title", "Show sample values"):
        assert expected in text
    assert "Raid on a village" not in text  # the sealed file's values stay hidden on a GET
    assert '<abbr title="required">*</abbr>' in text
    assert "allowed values" in text and "killing" in text
    response = client.post(url(run), {"refresh": "1"})
    assert "Raid on a village" in response.content.decode() and "Kharkiv Oblast" in (
        response.content.decode()
    )
    shown = AuditEntry.objects.filter(action="dataio.run.values_shown", object_id=str(run.pk))
    assert shown.count() == 1


def test_another_importer_chooses_columns_but_never_sees_the_files_values(
    client: Client, cast: Any, run: ImportRun
) -> None:
    login(client, cast.admin)
    response = client.post(url(run), {**picks(), "refresh": "1"})
    text = response.content.decode()
    assert "Only the person who uploaded this file sees its values here" in text
    assert "Headline" in text and "Raid on a village" not in text and "Kiling" not in text
    assert not AuditEntry.objects.filter(action="dataio.run.values_shown").exists()
    response = client.post(url(run), {**picks(), "save": "1"})
    assert response.status_code == 302
    assert Mapping.objects.get().created_by == cast.admin


def test_the_values_of_a_chosen_vocabulary_column_are_proposed_with_suggestions(
    client: Client, cast: Any, run: ImportRun
) -> None:
    response = login(client, cast.documenter).post(url(run), {**picks(), "refresh": "1"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Recognised: Killing" in text  # a label, case-insensitive
    assert "Recognised: Arbitrary arrest or detention" in text
    assert "Suggested: Killing (<code>killing</code>)" in text  # a near miss
    assert "Not a known term: choose one" in text  # "shot dead": nothing near
    rows = response.context["rows"]
    recodings = {r.value: r for row in rows if row.name == "type" for r in row.recodings}
    assert recodings["Killing"].recognised == "killing"
    assert recodings["Kiling"].suggestions[0] == "killing"
    assert response.context["form"]["type__recode__2"].value() == "killing"  # proposed
    assert not Mapping.objects.exists()


def test_saving_checks_saves_audited_and_chooses_the_mapping_for_the_run(
    client: Client, cast: Any, run: ImportRun
) -> None:
    data = picks(**{
        "type__recode__0__from": "Killing", "type__recode__0": "",
        "type__recode__1__from": "Kiling", "type__recode__1": "killing",
        "type__recode__2__from": "shot dead", "type__recode__2": "killing",
    })  # fmt: skip
    response = login(client, cast.documenter).post(url(run), {**data, "save": "1"})
    assert response.status_code == 302
    mapping = Mapping.objects.get()
    assert mapping.spec["fields"] == {
        "incident_ref": "Case",
        "incident_title": "Headline",
        "type": {"source": "Act", "values": {"Kiling": "killing", "shot dead": "killing"}},
        "place_name": {"template": "{City}, {State}"},
        "country": {"value": "UA"},
    }
    assert mapping.spec["key"] == ["Case"]
    run.refresh_from_db()
    assert run.mapping_id == mapping.pk
    assert AuditEntry.objects.filter(
        action="dataio.mapping.created", actor_id=cast.documenter.pk
    ).exists()
    again = login(client, cast.documenter).get(url(run)).content.decode()
    assert 'value="Killings list"' in again and "{City}, {State}" in again


def test_every_problem_is_listed_at_once_and_nothing_is_saved(
    client: Client, cast: Any, run: ImportRun
) -> None:
    data = picks(**{
        "name": "", "country__value": "", "incident_title__column": "",
        "incident_ref__value": "x", "place_name__template": "{City}, {Sate}",
        "type__recode__0__from": "shot dead", "type__recode__0": "no_such_term",
    })  # fmt: skip
    login(client, cast.documenter)
    before = AuditEntry.objects.count()
    response = client.post(url(run), {**data, "save": "1"})
    assert response.status_code == 422
    problems = response.context["problems"]
    text = "\n".join(problems)
    assert "“incident_ref”: choose a column, a value or a template, not several." in text
    assert "Give the mapping a name." in text
    assert "required field(s): incident_ref, incident_title" in text
    assert "the file has no column 'Sate'. Did you mean: 'State'" in text
    assert "a place needs its country" in text
    assert "'no_such_term' is not a known type of act term" in text
    assert not Mapping.objects.exists()
    written = AuditEntry.objects.exclude(action="dataio.run.values_shown").count()
    assert written == before  # only the values shown to the uploader were recorded
    assert "{'spec'" not in response.content.decode()


def test_a_mistyped_kobo_path_is_reported_with_the_nearest_paths(client: Client, cast: Any) -> None:
    submissions = [{"_uuid": "u1", "case/ref": "K1", "case/title": "Raid", "act": "killing"}]
    run = actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="kobo", filename="k.json",
        chunks=[json.dumps({"results": submissions}).encode()],
    )  # fmt: skip
    login(client, cast.documenter)
    page = client.get(url(run)).content.decode()
    assert "case/title" in page and "Fields of the submissions" in page
    data = {"name": "Kobo", "incident_ref__column": "case/ref", "type__column": "act",
            "incident_title__template": "{case/titel}", "save": "1"}  # fmt: skip
    response = client.post(url(run), data)
    assert response.status_code == 422
    assert any(
        "no submission has a value at 'case/titel'. Check the spelling" in p
        and "Did you mean: 'case/title'" in p
        for p in response.context["problems"]
    )


@pytest.mark.parametrize("who", ["viewer", "analyst", "coordinator", "loner", "outsider"])
def test_users_who_may_not_import_here_get_404(
    client: Client, cast: Any, run: ImportRun, who: str
) -> None:
    login(client, getattr(cast, who))
    assert client.get(url(run)).status_code == 404
    assert client.post(url(run), {**picks(), "save": "1"}).status_code == 404
    assert not Mapping.objects.exists()


def test_saving_needs_the_csrf_token(cast: Any, run: ImportRun) -> None:
    client = login(Client(enforce_csrf_checks=True), cast.documenter)
    assert client.post(url(run), {**picks(), "save": "1"}).status_code == 403
    assert not Mapping.objects.exists()


def test_a_committed_run_cannot_be_mapped_again(client: Client, cast: Any, run: ImportRun) -> None:
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.COMMITTED)
    response = login(client, cast.documenter).post(url(run), {**picks(), "save": "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"/runs/{run.pk}/")
    assert not Mapping.objects.exists()


def test_the_dry_run_of_a_kobo_file_names_a_mistyped_path_of_a_saved_mapping(
    cast: Any,
) -> None:
    submissions = [{"_uuid": "u1", "case/ref": "K1", "case/title": "Raid", "act": "killing"}]
    spec = {"fields": {"incident_ref": "case/ref", "incident_title": "case/titel", "type": "act"}}
    mapping = actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Kobo", file_format="kobo", spec=spec
    )
    run = actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="kobo", filename="k.json",
        chunks=[json.dumps(submissions).encode()], mapping=mapping,
    )  # fmt: skip
    run = actions.dry_run(cast.documenter, run)
    assert run.status == ImportRun.Status.INVALID
    assert run.problem.startswith(
        "“incident_title”: no submission has a value at 'case/titel'. Check the spelling; "
    )
    assert "Did you mean: 'case/title'" in run.problem
    assert run.row_errors.get().column == "case/titel"


def test_saved_recodings_of_values_not_shown_are_kept_when_the_column_stays(
    client: Client, cast: Any, run: ImportRun
) -> None:
    spec = {
        "fields": {
            "incident_ref": "Case",
            "incident_title": "Headline",
            "type": {"source": "Act", "values": {"beaten to death": "killing"}},
        }
    }
    mapping = actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Old", file_format="csv", spec=spec
    )
    actions.choose_mapping(cast.documenter, run, mapping, run.mode)
    data = {"name": "Old", "incident_ref__column": "Case", "incident_title__column": "Headline",
            "type__column": "Act", "type__recode__0__from": "shot dead",
            "type__recode__0": "killing", "save": "1"}  # fmt: skip
    response = login(client, cast.documenter).post(url(run), data)
    assert response.status_code == 302
    mapping.refresh_from_db()
    assert mapping.spec["fields"]["type"]["values"] == {
        "shot dead": "killing",
        "beaten to death": "killing",
    }
    assert AuditEntry.objects.filter(action="dataio.mapping.updated").count() == 1
