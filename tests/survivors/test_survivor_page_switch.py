"""The survivor page's per-organisation switch: off by default, set only by the organisation's
admin (``manage_survivor_page``, org.manage); off, no code is issued and a code already given
is answered exactly as an unknown code, and an open visit ends; on again, the kept codes work."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import Organisation, User
from justicework.core.uses import Scope
from justicework.survivors import actions, page_codes
from justicework.survivors.models import SurvivorFile, SurvivorPageCode, SurvivorPageSwitch
from justicework.violations import actions as violations_actions
from tests.survivors.conftest import give
from tests.survivors.particip_helpers import login_with

pytestmark = pytest.mark.django_db
ENTER, HOME = "/s/", "/s/me"
SWITCH = "/survivors/page-switch/"


@pytest.fixture(autouse=True)
def instance_on(settings: pytest.FixtureRequest) -> Iterator[None]:
    settings.SURVIVORS_PAGE = True  # type: ignore[attr-defined]  # the platform allows it
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def consented(file: SurvivorFile, coordinator: User) -> SurvivorFile:
    give(coordinator, file, Scope.DOCUMENTATION, Scope.FOLLOW_UP)
    return file


@pytest.fixture
def code(admin: User, acme: Organisation, coordinator: User, consented: SurvivorFile) -> str:
    """A code issued while the page was on; then the admin turns it off."""
    actions.set_survivor_page(admin, acme, True)
    typed = actions.issue_page_code(coordinator, consented)[1]
    actions.set_survivor_page(admin, acme, False)
    return typed


def test_off_by_default_no_code_is_issued(
    coordinator: User, acme: Organisation, consented: SurvivorFile
) -> None:
    assert not page_codes.page_on(acme.pk)
    with pytest.raises(ValidationError) as caught:
        actions.issue_page_code(coordinator, consented)
    assert caught.value.message_dict["page"] == [
        "The survivor page is off for this organisation: no code can be issued."
    ]
    staff = login_with(Client())(coordinator)
    page = staff.get(reverse("survivors:page_codes", args=[consented.person_id]))
    assert "The survivor page is off for this organisation" in page.content.decode()
    assert reverse("survivors:page_code_issue", args=[consented.person_id]) not in (
        page.content.decode()
    )
    issued = staff.post(reverse("survivors:page_code_issue", args=[consented.person_id]))
    assert issued.status_code == 302 and not SurvivorPageCode.objects.exists()


def test_the_platform_setting_still_rules_over_the_organisation(
    settings: pytest.FixtureRequest, admin: User, acme: Organisation
) -> None:
    actions.set_survivor_page(admin, acme, True)
    assert page_codes.page_on(acme.pk)
    settings.SURVIVORS_PAGE = False  # type: ignore[attr-defined]
    assert not page_codes.page_on(acme.pk)


def test_the_admin_switches_it_audited_and_a_repeat_changes_nothing(
    admin: User, acme: Organisation
) -> None:
    assert actions.set_survivor_page(admin, acme, True) is True
    assert actions.set_survivor_page(admin, acme, True) is False
    assert actions.set_survivor_page(admin, acme, False) is True
    entries = AuditEntry.objects.filter(action="survivors.page.switched").order_by("pk")
    assert [e.diff for e in entries] == [{"enabled": True}, {"enabled": False}]
    assert SurvivorPageSwitch.objects.get(organisation=acme).changed_by == admin


@pytest.mark.parametrize("who", ["coordinator", "documenter", "viewer", "beacon_admin", "loner"])
def test_only_the_organisations_admin_may_switch_it(
    request: pytest.FixtureRequest, acme: Organisation, who: str
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        actions.set_survivor_page(user, acme, True)
    assert not SurvivorPageSwitch.objects.exists()
    response = login_with(Client())(user).post(SWITCH, {"enabled": "on"})
    # beacon's admin switches beacon's own page (the active organisation), never acme's
    assert response.status_code == (302 if who == "beacon_admin" else 404)
    assert not page_codes.page_on(acme.pk)


def test_the_admins_page_turns_it_on_and_off_and_names_a_bad_value(
    admin: User, acme: Organisation
) -> None:
    staff = login_with(Client())(admin)
    assert "Off for this organisation" in staff.get(SWITCH).content.decode()
    assert staff.post(SWITCH, {"enabled": "on"}).status_code == 302
    assert page_codes.page_on(acme.pk)
    assert "On for this organisation." in staff.get(SWITCH).content.decode()
    bad = staff.post(SWITCH, {"enabled": "maybe"})
    assert bad.status_code == 422 and "Select a valid choice" in bad.content.decode()
    assert page_codes.page_on(acme.pk)  # nothing changed
    assert staff.post(SWITCH, {"enabled": "off"}).status_code == 302
    assert not page_codes.page_on(acme.pk)


def _comparable(response: object) -> tuple[int, str, dict[str, str]]:
    body = response.content.decode()  # type: ignore[attr-defined]
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    headers = {
        k: v
        for k, v in response.headers.items()  # type: ignore[attr-defined]
        if k.lower() not in {"set-cookie", "date"}
    }
    return response.status_code, body, headers  # type: ignore[attr-defined]


def test_a_code_of_an_organisation_with_the_page_off_answers_as_an_unknown_code(
    code: str,
) -> None:
    unknown = "ZZZZ-2345-6789" if not code.startswith("ZZZZ") else "YYYY-2345-6789"
    real = Client().post(ENTER, {"code": code})
    fake = Client().post(ENTER, {"code": unknown})
    assert real.status_code == 403
    assert _comparable(real) == _comparable(fake)
    assert AuditEntry.objects.get(action="survivors.page.refused_code").diff["reason"] == "page_off"
    assert not AuditEntry.objects.filter(action="survivors.page.signed_in").exists()


def test_switching_off_ends_an_open_visit_and_on_again_the_code_works(
    admin: User, acme: Organisation, code: str, client: Client
) -> None:
    actions.set_survivor_page(admin, acme, True)
    assert client.post(ENTER, {"code": code}).status_code == 302
    assert client.get(HOME).status_code == 200
    actions.set_survivor_page(admin, acme, False)
    assert client.get(HOME)["Location"] == ENTER  # the visit ended at once
    assert client.post(reverse("survivor_page:withdraw"), {"scope": "follow_up"}).status_code == 302
    actions.set_survivor_page(admin, acme, True)
    assert client.get(HOME).status_code == 302  # ended for good: the code must be typed again
    assert client.post(ENTER, {"code": code}).status_code == 302
    assert client.get(HOME).status_code == 200


def test_one_organisations_switch_does_not_open_anothers_page(
    admin: User, beacon_admin: User, outsider: User, beacon: Organisation, code: str
) -> None:
    actions.set_survivor_page(beacon_admin, beacon, True)
    assert Client().post(ENTER, {"code": code}).status_code == 403  # acme's code, acme off
    person = violations_actions.create_person(None, beacon, full_name="Amani Lukusa")
    theirs = actions.open_survivor_file(outsider, person, preferred_language="fr")
    give(outsider, theirs, Scope.DOCUMENTATION)
    with pytest.raises(PermissionDenied):  # a documenter may not issue codes, even when on
        actions.issue_page_code(outsider, theirs)


def test_the_upgrade_keeps_live_codes_working_and_leaves_the_rest_off(
    admin: User,
    acme: Organisation,
    beacon: Organisation,
    beacon_admin: User,
    coordinator: User,
    consented: SurvivorFile,
) -> None:
    actions.set_survivor_page(admin, acme, True)
    actions.issue_page_code(coordinator, consented)
    SurvivorPageSwitch.objects.all().delete()  # as before the migration
    migration = importlib.import_module(
        "justicework.survivors.migrations.0009_survivor_page_switch_per_organisation"
    )
    migration.keep_live_codes_working(apps, None)
    assert page_codes.page_on(acme.pk) and not page_codes.page_on(beacon.pk)
    SurvivorPageSwitch.objects.all().delete()
    SurvivorPageCode.objects.update(revoked_at=timezone.now())
    migration.keep_live_codes_working(apps, None)
    assert not SurvivorPageSwitch.objects.exists()  # revoked codes turn nothing on
