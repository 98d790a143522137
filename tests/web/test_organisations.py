"""Organisation pages and member management: allowed to the right people, 404/403 to others."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from justicework.audit.models import AuditEntry
from justicework.core import actions
from justicework.core.models import Membership, Organisation, User
from justicework.core.roles import Role

pytestmark = pytest.mark.django_db


# --- List -------------------------------------------------------------------------------------


def test_member_sees_the_organisation_directory(login, viewer) -> None:
    response = login(viewer).get("/organisations/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Acme Rights Watch" in html and "Beacon Justice Centre" in html
    assert "Ukraine" in html and "Georgia" in html  # country names, not codes
    assert "/organisations/new/" not in html


def test_loner_sees_no_organisations(login, loner) -> None:
    html = login(loner).get("/organisations/").content.decode()
    assert "Acme Rights Watch" not in html
    assert "No organisations to show." in html


def test_anonymous_visitor_cannot_list_organisations(client: Client) -> None:
    assert client.get("/organisations/").status_code == 302


def test_country_names_follow_the_ui_language(login, viewer) -> None:
    client = login(viewer)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert "Géorgie" in client.get("/organisations/").content.decode()


def test_organisation_list_queries_do_not_grow(
    login, viewer, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    client = login(viewer)
    client.get("/organisations/")
    with django_assert_max_num_queries(7) as before:
        client.get("/organisations/")
    for i in range(20):
        actions.create_organisation(None, name=f"Extra {i}", kind="member", countries=["FR"])
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get("/organisations/")
    assert "Extra 19" in response.content.decode()


# --- Create -----------------------------------------------------------------------------------


def test_superuser_creates_an_organisation_with_countries(login, superuser) -> None:
    client = login(superuser)
    assert client.get("/organisations/new/").status_code == 200
    response = client.post(
        "/organisations/new/",
        {"name": "Delta Legal Aid", "kind": "local_partner", "countries": ["CO", "VE"]},
    )
    org = Organisation.objects.filter(name="Delta Legal Aid").first()
    assert org is not None
    assert response.status_code == 302 and response["Location"] == f"/organisations/{org.pk}/"
    assert org.countries == ["CO", "VE"] and org.slug == "delta-legal-aid"
    assert AuditEntry.objects.filter(action="core.organisation.created", object_id=str(org.pk))


def test_bad_country_code_is_refused_with_the_field_named(login, superuser) -> None:
    response = login(superuser).post(
        "/organisations/new/", {"name": "Nowhere", "kind": "member", "countries": ["XX"]}
    )
    assert response.status_code == 200
    assert "Select a valid choice. XX is not one of the available choices." in (
        response.content.decode()
    )
    assert not Organisation.objects.filter(name="Nowhere").exists()


def test_duplicate_organisation_name_is_refused(login, superuser) -> None:
    response = login(superuser).post(
        "/organisations/new/", {"name": "Acme Rights Watch", "kind": "member"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Organisation.objects.filter(name="Acme Rights Watch").count() == 1


@pytest.mark.parametrize("who", ["admin", "viewer", "loner"])
def test_only_superusers_create_organisations(login, cast, who) -> None:
    client = login(getattr(cast, who))
    assert client.get("/organisations/new/").status_code == 403
    response = client.post("/organisations/new/", {"name": "Sneaky", "kind": "member"})
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Sneaky").exists()


# --- Edit -------------------------------------------------------------------------------------


def test_admin_edits_their_organisation(login, admin, acme) -> None:
    client = login(admin)
    assert client.get(f"/organisations/{acme.pk}/edit/").status_code == 200
    response = client.post(
        f"/organisations/{acme.pk}/edit/",
        {"name": "Acme Rights Watch", "kind": "associate", "countries": ["UA", "MD"]},
    )
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.kind == "associate" and acme.countries == ["MD", "UA"]
    entry = AuditEntry.objects.filter(action="core.organisation.updated").last()
    assert entry is not None and set(entry.diff) == {"kind", "countries"}


def test_renaming_to_an_existing_name_is_refused(login, admin, acme) -> None:
    response = login(admin).post(
        f"/organisations/{acme.pk}/edit/", {"name": "Beacon Justice Centre", "kind": "member"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    acme.refresh_from_db()
    assert acme.name == "Acme Rights Watch"


@pytest.mark.parametrize("who", ["beacon_admin", "analyst", "viewer", "loner"])
def test_others_cannot_edit_an_organisation(login, cast, acme, who) -> None:
    client = login(getattr(cast, who))
    assert client.get(f"/organisations/{acme.pk}/edit/").status_code == 404
    response = client.post(f"/organisations/{acme.pk}/edit/", {"name": "Taken", "kind": "member"})
    assert response.status_code == 404
    acme.refresh_from_db()
    assert acme.name == "Acme Rights Watch"


# --- Detail -----------------------------------------------------------------------------------


def test_member_sees_their_organisation_and_its_members(login, viewer, acme) -> None:
    html = login(viewer).get(f"/organisations/{acme.pk}/").content.decode()
    assert "analyst@acme.test" in html and "Legal analyst" in html
    assert "Add a member" not in html and "Change role" not in html
    assert f"/organisations/{acme.pk}/edit/" not in html
    assert f"/organisations/{acme.pk}/audit/" not in html


def test_admin_sees_management_controls(login, admin, acme) -> None:
    html = login(admin).get(f"/organisations/{acme.pk}/").content.decode()
    assert "Add a member" in html and "Change role" in html
    assert f"/organisations/{acme.pk}/edit/" in html
    assert f"/organisations/{acme.pk}/audit/" in html


def test_other_organisations_member_sees_the_directory_entry_but_not_members(
    login, outsider, acme
) -> None:
    response = login(outsider).get(f"/organisations/{acme.pk}/")
    assert response.status_code == 200
    assert "analyst@acme.test" not in response.content.decode()


def test_loner_gets_404_for_an_organisation(login, loner, acme) -> None:
    assert login(loner).get(f"/organisations/{acme.pk}/").status_code == 404


def test_missing_organisation_is_404(login, admin) -> None:
    assert login(admin).get("/organisations/999999/").status_code == 404


def test_organisation_detail_queries_do_not_grow(
    login, admin, acme, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    client = login(admin)
    client.get(f"/organisations/{acme.pk}/")
    with django_assert_max_num_queries(9) as before:
        client.get(f"/organisations/{acme.pk}/")
    for i in range(10):
        user = actions.create_user(None, email=f"more{i}@acme.test", password=None)
        actions.add_member(None, acme, user, Role.VIEWER)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(f"/organisations/{acme.pk}/")


# --- Add member -------------------------------------------------------------------------------


def test_admin_adds_a_new_person_who_gets_a_password_link(login, admin, acme) -> None:
    client = login(admin)
    assert client.get(f"/organisations/{acme.pk}/members/add/").status_code == 200
    response = client.post(
        f"/organisations/{acme.pk}/members/add/",
        {"email": "New.Person@Acme.test", "display_name": "New Person", "role": "documenter"},
    )
    assert response.status_code == 302
    person = User.objects.filter(email="new.person@acme.test").first()
    assert person is not None and not person.has_usable_password()
    assert Membership.objects.filter(user=person, organisation=acme, role="documenter").exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.person@acme.test"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="core.membership.added", organisation_id=acme.pk)


def test_admin_adds_an_existing_account(login, admin, acme, loner) -> None:
    response = login(admin).post(
        f"/organisations/{acme.pk}/members/add/", {"email": loner.email, "role": "viewer"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=loner, organisation=acme, role="viewer").exists()
    assert mail.outbox == []


def test_adding_an_existing_member_again_is_refused(login, admin, acme, viewer) -> None:
    response = login(admin).post(
        f"/organisations/{acme.pk}/members/add/", {"email": viewer.email, "role": "org_admin"}
    )
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert Membership.objects.get(user=viewer, organisation=acme).role == "viewer"


def test_bad_role_and_bad_email_are_refused(login, admin, acme) -> None:
    response = login(admin).post(
        f"/organisations/{acme.pk}/members/add/", {"email": "not-an-email", "role": "king"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "Select a valid choice. king is not one of the available choices." in html
    assert Membership.objects.filter(organisation=acme).count() == 7


@pytest.mark.parametrize("who", ["beacon_admin", "outsider", "viewer", "loner"])
def test_others_cannot_add_members(login, cast, acme, who) -> None:
    client = login(getattr(cast, who))
    assert client.get(f"/organisations/{acme.pk}/members/add/").status_code == 404
    response = client.post(
        f"/organisations/{acme.pk}/members/add/", {"email": "x@evil.test", "role": "org_admin"}
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="x@evil.test").exists()


def test_superuser_may_add_members_to_any_organisation(login, superuser, beacon) -> None:
    response = login(superuser).post(
        f"/organisations/{beacon.pk}/members/add/",
        {"email": "helper@beacon.test", "role": "viewer"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(organisation=beacon, user__email="helper@beacon.test")


# --- Change role ------------------------------------------------------------------------------


def _membership(user: User, org: Organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=org)


def test_admin_changes_a_role(login, admin, acme, viewer) -> None:
    m = _membership(viewer, acme)
    response = login(admin).post(f"/members/{m.pk}/role/", {"role": "documenter"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.role == "documenter"
    assert AuditEntry.objects.filter(action="core.membership.role_changed", object_id=str(m.pk))


def test_last_admin_cannot_be_demoted(login, admin, acme) -> None:
    m = _membership(admin, acme)
    client = login(admin)
    response = client.post(f"/members/{m.pk}/role/", {"role": "viewer"}, follow=True)
    assert "An organisation must keep at least one admin." in response.content.decode()
    m.refresh_from_db()
    assert m.role == "org_admin"


def test_unknown_role_is_refused(login, admin, acme, viewer) -> None:
    m = _membership(viewer, acme)
    response = login(admin).post(f"/members/{m.pk}/role/", {"role": "king"}, follow=True)
    assert "Choose a role from the list." in response.content.decode()
    m.refresh_from_db()
    assert m.role == "viewer"


def test_changing_a_role_needs_post(login, admin, acme, viewer) -> None:
    m = _membership(viewer, acme)
    assert login(admin).get(f"/members/{m.pk}/role/").status_code == 405


@pytest.mark.parametrize("who", ["beacon_admin", "analyst", "viewer", "loner"])
def test_others_cannot_change_roles(login, cast, acme, who) -> None:
    m = _membership(cast.viewer, acme)
    response = login(getattr(cast, who)).post(f"/members/{m.pk}/role/", {"role": "org_admin"})
    assert response.status_code == 404
    m.refresh_from_db()
    assert m.role == "viewer"


# --- Remove member ----------------------------------------------------------------------------


def test_admin_removes_a_member_after_confirming(login, admin, acme, viewer) -> None:
    m = _membership(viewer, acme)
    client = login(admin)
    confirm = client.get(f"/members/{m.pk}/remove/")
    assert confirm.status_code == 200 and "Viewer" in confirm.content.decode()
    assert Membership.objects.filter(pk=m.pk).exists()  # GET changes nothing
    response = client.post(f"/members/{m.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=m.pk).exists()
    assert AuditEntry.objects.filter(action="core.membership.removed", object_id=str(m.pk))


def test_last_admin_cannot_be_removed(login, admin, acme) -> None:
    m = _membership(admin, acme)
    response = login(admin).post(f"/members/{m.pk}/remove/", follow=True)
    assert "An organisation must keep at least one admin." in response.content.decode()
    assert Membership.objects.filter(pk=m.pk).exists()


@pytest.mark.parametrize("who", ["beacon_admin", "documenter", "viewer", "loner"])
def test_others_cannot_remove_members(login, cast, acme, who) -> None:
    m = _membership(cast.analyst, acme)
    client = login(getattr(cast, who))
    assert client.get(f"/members/{m.pk}/remove/").status_code == 404
    assert client.post(f"/members/{m.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=m.pk).exists()
