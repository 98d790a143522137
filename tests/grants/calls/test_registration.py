"""An applicant organisation registers itself (the action and the public page): the login,
the grantee organisation, the membership and the legal entity; a second registration of the
same organisation refused without telling more; bad input names the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.core.models import Membership, Organisation, User
from justicework.core.roles import Role
from justicework.grants.actions_registration import Registration, register_applicant
from justicework.grants.models import LegalEntity

PASSWORD = "a long passphrase for the tests 31"


def _data(**overrides: Any) -> dict[str, Any]:
    values = {
        "email": "maria@voices.test",
        "password": PASSWORD,
        "display_name": "Maria",
        "legal_name": "Kherson Women's Voices",
        "legal_form": "ngo",
        "country": "UA",
        "registration_number": "4412 8890",
        "categories": ["local_cso", "women_led"],
    }
    return values | overrides


def test_registration_creates_the_login_organisation_membership_and_entity(db) -> None:
    user, entity = register_applicant(Registration(**_data()))
    org = entity.organisation
    assert org.kind == Organisation.Kind.GRANTEE and org.countries == ["UA"]
    assert Membership.objects.get(user=user, organisation=org).role == Role.GRANTEE
    assert entity.identity_key == "UA:44128890"
    assert user.check_password(PASSWORD)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "core.user.created",
        "core.organisation.created",
        "core.membership.added",
        "grants.applicant.registered",
    } <= actions


def test_the_same_organisation_is_registered_once(db) -> None:
    register_applicant(Registration(**_data()))
    with pytest.raises(ValidationError) as exc:
        register_applicant(
            Registration(
                **_data(
                    email="oksana@voices.test", legal_name="KWV", registration_number="№ 4412-8890"
                )
            )
        )
    assert list(exc.value.message_dict) == ["registration_number"]
    assert "already registered" in exc.value.message_dict["registration_number"][0]
    assert "Kherson" not in exc.value.message_dict["registration_number"][0]
    assert not User.objects.filter(email="oksana@voices.test").exists()
    assert LegalEntity.objects.count() == 1 and Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"password": "short"}, "password"),
        ({"display_name": " "}, "display_name"),
        ({"legal_name": ""}, "legal_name"),
        ({"legal_form": "corporation"}, "legal_form"),
        ({"country": "XX"}, "country"),
        ({"registration_number": "—"}, "registration_number"),
        ({"categories": ["aliens"]}, "categories"),
    ],
)
def test_bad_input_names_the_field(db, overrides, field) -> None:
    with pytest.raises(ValidationError) as exc:
        register_applicant(Registration(**_data(**overrides)))
    assert field in exc.value.message_dict
    assert not User.objects.exists() and not Organisation.objects.exists()


def test_a_name_taken_by_another_organisation_is_numbered(cast) -> None:
    _user, entity = register_applicant(Registration(**_data(legal_name=cast.acme.name)))
    assert entity.legal_name == cast.acme.name
    assert entity.organisation.name == f"{cast.acme.name} (2)"


def _post(client: Client, **overrides: Any) -> Any:
    return client.post(reverse("grants:register"), _data(**overrides))


def test_the_page_registers_and_signs_in(client: Client, db) -> None:
    assert client.get(reverse("grants:register")).status_code == 200
    response = _post(client)
    assert response.status_code == 302 and response["Location"] == reverse("grants:call_list")
    assert client.get(reverse("grants:call_list")).status_code == 200
    assert LegalEntity.objects.get().organisation.memberships.count() == 1


def test_the_page_refuses_a_duplicate_with_a_clear_message(client: Client, db) -> None:
    _post(Client())
    response = _post(client, email="second@voices.test")
    assert response.status_code == 422
    assert "already registered" in response.content.decode()
    assert "Ask one of its members to invite you" in response.content.decode()


def test_the_page_names_the_bad_field(client: Client, db) -> None:
    response = _post(client, country="")
    assert response.status_code == 422
    assert response.context["form"].errors.keys() == {"country"}
    response = _post(client, password="short")
    assert "password" in response.context["form"].errors


def test_the_page_is_rate_limited(client: Client, db, settings) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    for _n in range(2):
        _post(client, email="", country="")
    assert _post(client).status_code == 429
    assert not LegalEntity.objects.exists()


def test_a_grantee_sees_no_documentation_records(client: Client, cast) -> None:
    from justicework.core import policy
    from justicework.violations.models import Incident
    from tests.violations.conftest import make_incident

    make_incident(cast.acme, title="Shelling of the Kherson market")
    _post(client)
    response = client.get(reverse("violations:incident_list"))
    assert response.status_code in (200, 403, 404)
    assert "Shelling of the Kherson market" not in response.content.decode()
    user = User.objects.get(email="maria@voices.test")
    assert not policy.visible(user, Incident).exists()
    assert not policy.can(user, "view_records", LegalEntity.objects.get().organisation)
