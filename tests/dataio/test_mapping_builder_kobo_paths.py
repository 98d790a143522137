"""Kobo paths are known only from the answers (the submissions carry no form definition): a
path answered in no submission is reported, saying honestly that a typo and a question left
unanswered everywhere look the same; a path answered in any one submission is not reported."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from justicework.dataio import actions
from justicework.dataio.models import ImportRun, Mapping

from .test_mapping_builder import login, url

pytestmark = pytest.mark.django_db

SUBMISSIONS = [
    {"_uuid": "u1", "case/ref": "K1", "case/title": "Raid", "act": "killing"},
    {"_uuid": "u2", "case/ref": "K2", "case/title": "Arrest", "act": "killing"},
    # Only the third submission answered the optional question "case/place".
    {
        "_uuid": "u3",
        "case/ref": "K3",
        "case/title": "Shot",
        "act": "killing",
        "case/place": "Izium",
    },
]


def kobo_run(cast: Any, submissions: list[dict[str, str]]) -> ImportRun:
    return actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="kobo", filename="k.json",
        chunks=[json.dumps({"results": submissions}).encode()],
    )  # fmt: skip


def save(client: Client, run: ImportRun, **fields: str) -> Any:
    data = {"name": "Kobo", "incident_ref__column": "case/ref", "type__column": "act",
            "incident_title__column": "case/title", "save": "1"}  # fmt: skip
    return client.post(url(run), {**data, **fields})


def test_a_question_answered_in_one_submission_only_is_a_known_path(
    client: Client, cast: Any
) -> None:
    run = kobo_run(cast, SUBMISSIONS)
    response = save(
        login(client, cast.documenter), run, place_name__column="case/place", country__value="UA"
    )
    assert response.status_code == 302, response.context and response.context["problems"]
    assert Mapping.objects.get().spec["fields"]["place_name"] == "case/place"


def test_a_question_nobody_answered_is_reported_as_possibly_unanswered(
    client: Client, cast: Any
) -> None:
    unanswered = [{k: v for k, v in s.items() if k != "case/place"} for s in SUBMISSIONS]
    run = kobo_run(cast, unanswered)
    response = save(
        login(client, cast.documenter), run, place_name__column="", country__value="UA",
        place_name__template="{case/place}",
    )  # fmt: skip
    assert response.status_code == 422
    [problem] = response.context["problems"]
    assert problem.startswith(
        "“place_name”: no submission has a value at 'case/place'. Check the spelling; a "
        "question left unanswered in every submission also looks like this."
    )
    assert "the submissions have no field" not in problem  # no longer claims it does not exist
    assert not Mapping.objects.exists()


def test_a_csv_column_that_is_missing_is_still_called_missing(client: Client, cast: Any) -> None:
    run = actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="l.csv",
        chunks=[b"Case,Title,Act\nC1,Raid,killing\n"],
    )  # fmt: skip
    data = {"name": "CSV", "incident_ref__column": "Case", "type__column": "Act",
            "incident_title__template": "{Titel}", "save": "1"}  # fmt: skip
    response = login(client, cast.documenter).post(url(run), data)
    assert response.status_code == 422
    assert response.context["problems"] == [
        "“incident_title”: the file has no column 'Titel'. Did you mean: 'Title'?"
    ]
