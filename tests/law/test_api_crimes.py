"""GET /api/v1/law/crimes: the catalogue for every signed-in account, through the policy's
``law.catalogue.view``; refused to anonymous callers and deactivated accounts."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client

from justicework.core import policy
from justicework.core.models import User
from justicework.law.catalogue import catalogue
from justicework.law.output import as_dict

URL = "/api/v1/law/crimes"


@pytest.mark.parametrize("who", ["viewer", "analyst", "outsider", "loner", "superuser"])
def test_every_signed_in_account_reads_the_catalogue(cast, bearer, who) -> None:
    response = bearer(getattr(cast, who)).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == catalogue().version
    assert len(body["crimes"]) == len(catalogue().crimes)


def test_the_answer_reads_nothing_but_the_caller(cast, bearer, django_assert_max_num_queries):
    client = bearer(cast.viewer)
    with django_assert_max_num_queries(4):  # token, user, token's last use; no catalogue table
        assert client.get(URL).status_code == 200


def test_the_api_serves_what_the_command_prints(cast, bearer, capsys) -> None:
    call_command("law", "catalogue", "--format", "json")
    printed = json.loads(capsys.readouterr().out)
    served = bearer(cast.viewer).get(URL).json()
    assert served == printed == json.loads(json.dumps(as_dict(catalogue())))


def test_shared_elements_are_resolved_in_the_answer(cast, bearer) -> None:
    crimes = {c["id"]: c for c in bearer(cast.viewer).get(URL).json()["crimes"]}
    murder = crimes["7(1)(a)"]
    assert [e["number"] for e in murder["elements"]] == [1, 2, 3]
    attack = murder["elements"][1]
    assert attack["shared"] == "cah-attack"
    assert attack["type"] == "contextual"
    assert "widespread or systematic attack" in attack["text"]
    assert attack["citation"] == "Elements of Crimes, art. 7(1)(a), element 2"
    assert crimes["8(2)(e)(xix)"]["added_by"] == {
        "instrument": "asp-18-res-5",
        "title": catalogue().instruments["asp-18-res-5"].title,
        "date": "2019-12-06",
    }


def test_an_anonymous_caller_is_refused(db) -> None:
    response = Client().get(URL)
    assert response.status_code == 401
    assert "crimes" not in response.content.decode()


def test_a_deactivated_account_is_refused(cast, bearer) -> None:
    client = bearer(cast.viewer)
    User.objects.filter(pk=cast.viewer.pk).update(is_active=False)
    assert client.get(URL).status_code == 401


def test_the_policy_denies_the_catalogue_to_anonymous_and_inactive_users(cast) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert policy.can(cast.loner, "law.catalogue.view", User)
    assert not policy.can(AnonymousUser(), "law.catalogue.view", User)
    assert not policy.can(None, "law.catalogue.view", User)
    cast.viewer.is_active = False
    assert not policy.can(cast.viewer, "law.catalogue.view", User)


def test_the_catalogue_action_is_asked_of_the_class_only(cast) -> None:
    # an account (an instance) is not the catalogue: core's own rule answers, and refuses
    assert not policy.can(cast.viewer, "law.catalogue.view", cast.loner)


def test_core_still_answers_its_own_questions_about_users(cast) -> None:
    assert policy.can(cast.superuser, "view_all", User)
    assert not policy.can(cast.viewer, "view_all", User)
    assert policy.can(cast.viewer, "manage_self", cast.viewer)
