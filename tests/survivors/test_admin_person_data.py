"""The Django admin shows no person or survivor data: it reads outside the policy (no
organisation scope, no declared use, no consent gate, no audited read), so no model the
consent gate covers, no model linking one and no survivors model is registered in it. The
superuser walks every page the admin index links to, and the change page of each model's
first row, and finds neither a survivor's pseudonym, name nor any word of their casework."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.survivors.models import SurvivorFile
from justicework.violations.models import Person
from tests.survivors.casework_helpers import casework
from tests.survivors.retention_helpers import identity, old_file

pytestmark = pytest.mark.django_db


def _sensitive(model: type[models.Model]) -> bool:
    return policy.gate_for(model) is not None or model._meta.app_label == "survivors"


def _signed_in(user: User) -> Client:
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(user)
    return client


def test_no_admin_model_holds_or_links_person_or_survivor_data() -> None:
    assert _sensitive(Person) and _sensitive(SurvivorFile)  # the rule sees what it must
    for model in admin.site._registry:
        assert not _sensitive(model), model._meta.label
        for field in model._meta.get_fields():
            related = field.related_model if field.is_relation else None
            if isinstance(related, type) and field.concrete:
                assert not _sensitive(related), f"{model._meta.label}.{field.name}"


def test_survivors_and_person_pages_are_not_reachable_in_the_admin(
    superuser: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    client = _signed_in(superuser)
    pages = [f"/admin/violations/person/{file.person_id}/change/", "/admin/violations/person/"]
    pages += [
        f"/admin/survivors/{model._meta.model_name}/"
        for model in apps.get_app_config("survivors").get_models()
    ]
    for page in pages:
        assert client.get(page).status_code == 404, page
    lookup = "/admin/autocomplete/?app_label=violations&model_name=person&field_name=person"
    assert client.get(lookup).status_code in {403, 404}


def test_no_admin_page_shows_a_survivor_or_their_casework(
    superuser: User, coordinator: User, acme: Organisation
) -> None:
    data = identity()
    file = old_file(acme, coordinator, **data)
    case = casework(file, coordinator)
    secrets = [Person.objects.get(pk=file.person_id).code, data["full_name"], *case.words]
    client = _signed_in(superuser)
    index = client.get("/admin/")
    assert index.status_code == 200
    lists = sorted(set(re.findall(r'href="(/admin/\w+/\w+/)"', index.content.decode())))
    assert "/admin/core/organisation/" in lists  # the walk reaches the registered models
    pages = list(lists)
    for url in lists:
        body = client.get(url).content.decode()
        pages += re.findall(rf'href="({re.escape(url)}\d+/change/)', body)[:1]
    for url in ["/admin/", *pages]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not [s for s in secrets if s in body], url
