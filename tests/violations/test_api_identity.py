"""Identity look-ups and changes through the API: the duplicate check reveals no more than the
caller may see (need-to-know), needs two identifying fields, is rate-limited and audited;
changing identity fields needs the same need-to-know as reading them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client

from justicework.audit.models import AuditEntry
from justicework.core import actions as core_actions
from justicework.core.models import User
from justicework.violations import actions
from justicework.violations.models import Person

from .conftest import make_person

pytestmark = pytest.mark.django_db
JSON = "application/json"
DUPLICATES = "/api/v1/persons/duplicates"


@pytest.fixture
def api(cast) -> Callable[..., Client]:
    def make(user: User, scope: str = "write") -> Client:
        _token, secret = core_actions.create_token(user, name="t", scope=scope, expires_in_days=30)
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make


def check(client: Client, org_id: int, **body: object) -> object:
    return client.post(DUPLICATES, {"organisation_id": org_id, **body}, content_type=JSON)


# --- Finding 1: the duplicate check --------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"date_of_birth": "1990-02-03"},
        {"name": "Olena Kovalenko"},
        {"documents": ["FA123456", "FA 123 456"]},  # one field, however many numbers
        {"name": "   ", "date_of_birth": "1990-02-03"},  # a blank name is no name
        {},
    ],
)
def test_one_identifying_field_is_refused_naming_the_rule(cast, api, person, body):
    response = check(api(cast.documenter), cast.acme.pk, **body)
    assert response.status_code == 422
    message = str(response.json()["detail"])
    assert "at least two identifying fields" in message
    assert person.code not in response.content.decode()
    assert not AuditEntry.objects.filter(action="violations.person.duplicates_checked").exists()


def test_without_need_to_know_only_that_a_duplicate_exists_and_whom_to_ask(cast, api, person):
    response = check(
        api(cast.documenter), cast.acme.pk, name="Olena Kovalenko", date_of_birth="1990-02-03"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["possible_duplicate"] is True
    assert data["codes"] == [] and data["undisclosed"] == 1
    assert person.code not in response.content.decode()
    assert data["ask"]["organisation_id"] == cast.acme.pk
    assert cast.admin.email in [c["email"] for c in data["ask"]["contacts"]]
    assert cast.documenter.email not in [c["email"] for c in data["ask"]["contacts"]]


def test_with_need_to_know_the_code(cast, api, person):
    actions.grant_need_to_know(None, cast.documenter, person, reason="Interview follow-up")
    other = make_person(cast.acme, full_name="Olena Kovalenko", date_of_birth=dt.date(1990, 2, 3))
    response = check(
        api(cast.documenter), cast.acme.pk, name="Olena Kovalenko", date_of_birth="1990-02-03"
    )
    data = response.json()
    assert data["codes"] == [person.code]  # the one with a grant
    assert other.code not in response.content.decode()  # the other: undisclosed
    assert data["undisclosed"] == 1 and data["ask"] is not None


def test_only_one_matching_field_is_no_duplicate(cast, api, person):
    """A random name with a real birth date links nothing (no date-of-birth oracle)."""
    response = check(api(cast.admin), cast.acme.pk, name="Nobody Known", date_of_birth="1990-02-03")
    assert response.json()["possible_duplicate"] is False
    assert response.json()["undisclosed"] == 0


def test_each_check_is_audited_with_hashes_and_the_number_of_matches(cast, api, person):
    check(
        api(cast.documenter),
        cast.acme.pk,
        name="Olena Kovalenko",
        date_of_birth="1990-02-03",
        documents=["FA 123-456"],
    )
    entry = AuditEntry.objects.filter(action="violations.person.duplicates_checked").get()
    assert entry.actor_id == cast.documenter.pk
    assert entry.organisation_id == cast.acme.pk
    assert entry.diff["matches"] == 1 and entry.diff["disclosed"] == 0
    # Hex digests may hold "123" or "1990" by chance: look only at what is not a digest.
    stored = re.sub(r"[0-9a-f]{16,}", "", str(entry.diff))
    for plain in ("Olena", "Kovalenko", "1990", "FA", "123"):
        assert plain not in stored.replace("name_key", "").replace("document", "")
    kinds = {item.split(":", 1)[0] for item in entry.diff["blind_index"]}
    assert kinds == {"name", "name_key", "name_half", "name_pref", "dob", "document"}
    person_values = set(person.index_values.values_list("value", flat=True))
    assert {item.split(":", 1)[1] for item in entry.diff["blind_index"]} & person_values


def test_duplicate_checks_have_their_own_tight_rate_limit(cast, api, person, settings):
    settings.DUPLICATE_CHECK_RATE_LIMIT = "3/h"
    client = api(cast.documenter)
    body = {"name": "Olena Kovalenko", "date_of_birth": "1990-02-03"}
    for _ in range(3):
        assert check(client, cast.acme.pk, **body).status_code == 200
    response = check(client, cast.acme.pk, **body)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "Too many" in response.json()["detail"]
    # The budget is the user's, not the token's, and the general API limit is untouched.
    assert check(api(cast.documenter), cast.acme.pk, **body).status_code == 429
    assert client.get("/api/v1/persons").status_code == 200
    assert check(api(cast.admin), cast.acme.pk, **body).status_code == 200
    audited = AuditEntry.objects.filter(action="violations.person.duplicates_checked").count()
    assert audited == 4  # three of the documenter's, one of the admin's; refusals write nothing


def test_duplicates_of_another_organisation_are_404(cast, api, person):
    response = check(
        api(cast.outsider), cast.acme.pk, name="Olena Kovalenko", date_of_birth="1990-02-03"
    )
    assert response.status_code == 404


# --- Finding 2: changing identity fields needs need-to-know --------------------------------------


def test_documenter_without_grant_cannot_overwrite_an_identity(cast, api, person):
    client = api(cast.documenter)
    for body in (
        {"full_name": "Someone Else"},
        {"date_of_birth": "1970-01-01"},
        {"identity_documents": [{"number": "XX999"}]},
        {"contacts": []},
        {"status": "alive", "full_name": "Someone Else"},
    ):
        response = client.patch(f"/api/v1/persons/{person.pk}", body, content_type=JSON)
        assert response.status_code == 403, (body, response.content)
        assert "need-to-know" in response.json()["detail"]
    person.refresh_from_db()
    assert person.full_name == "Олена Коваленко"
    assert person.date_of_birth == dt.date(1990, 2, 3)
    assert person.status == Person.Status.UNKNOWN
    assert not AuditEntry.objects.filter(action="violations.person.updated").exists()


def test_non_identity_fields_stay_editable_without_a_grant(cast, api, person):
    response = api(cast.documenter).patch(
        f"/api/v1/persons/{person.pk}", {"status": "missing"}, content_type=JSON
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.status == "missing"


def test_with_need_to_know_the_identity_changes_and_is_audited(cast, api, person):
    actions.grant_need_to_know(None, cast.documenter, person, reason="Correct a typo")
    response = api(cast.documenter).patch(
        f"/api/v1/persons/{person.pk}", {"full_name": "Olena Kovalenko"}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.full_name == "Olena Kovalenko"
    entry = AuditEntry.objects.filter(action="violations.person.identity_changed").get()
    assert entry.diff == {"full_name": "changed"}
    assert entry.actor_id == cast.documenter.pk


def test_a_grant_without_edit_rights_does_not_allow_changes(cast, api, person):
    actions.grant_need_to_know(None, cast.coordinator, person, reason="Support")
    response = api(cast.coordinator).patch(
        f"/api/v1/persons/{person.pk}", {"full_name": "X"}, content_type=JSON
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.full_name == "Олена Коваленко"


def test_outsider_gets_404_on_identity_change(cast, api, person):
    response = api(cast.outsider).patch(
        f"/api/v1/persons/{person.pk}", {"full_name": "X"}, content_type=JSON
    )
    assert response.status_code == 404
