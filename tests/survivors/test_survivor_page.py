"""The survivor page: off by default; codes issued by staff (shown once, stored hashed,
re-issuing revokes); the survivor's visit (no name, their consents and updates, their
language); withdrawal effective at once; wrong, revoked, expired codes; rate limits; session
expiry; audit ("the survivor, by code")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from justicework.audit.models import AuditEntry
from justicework.core import policy, uses
from justicework.core.models import Organisation, User
from justicework.core.uses import Scope
from justicework.survivors import actions, page_codes
from justicework.survivors.models import ConsentDecision, SurvivorFile, SurvivorPageCode
from justicework.survivors.views import page_public
from justicework.violations.models import Person
from tests.survivors.conftest import give
from tests.survivors.particip_helpers import bearer_client, login_with

pytestmark = pytest.mark.django_db
ENTER = "/s/"
HOME = "/s/me"


@pytest.fixture(autouse=True)
def page_on(settings: pytest.FixtureRequest, admin: User, acme: Organisation) -> Iterator[None]:
    settings.SURVIVORS_PAGE = True  # type: ignore[attr-defined]
    actions.set_survivor_page(admin, acme, True)  # the organisation's switch (i13reminders)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def consented(file: SurvivorFile, coordinator: User) -> SurvivorFile:
    give(coordinator, file, Scope.DOCUMENTATION, Scope.FOLLOW_UP)
    give(coordinator, file, Scope.LEGAL_PROCEEDINGS, qualifier="ICC")
    actions.record_information(
        coordinator, file, what="Your hearing is on 3 March", how="phone", for_survivor=True,
        given_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    actions.record_information(
        coordinator, file, what="Internal: lawyer changed", how="phone",
        given_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    return file


@pytest.fixture
def code(coordinator: User, consented: SurvivorFile) -> str:
    return actions.issue_page_code(coordinator, consented)[1]


def enter(client: Client, typed: str) -> int:
    return client.post(ENTER, {"code": typed}).status_code


def test_off_by_default(
    settings: pytest.FixtureRequest, client: Client, coordinator: User, consented: SurvivorFile
) -> None:
    settings.SURVIVORS_PAGE = False  # type: ignore[attr-defined]
    assert client.get(ENTER).status_code == 404
    assert client.get(HOME).status_code == 404
    staff = login_with(Client())(coordinator)
    url = reverse("survivors:page_code_issue", args=[consented.person_id])
    assert staff.post(url).status_code == 404
    assert not SurvivorPageCode.objects.exists()


def test_staff_issue_a_code_shown_once_and_stored_hashed(
    coordinator: User, consented: SurvivorFile
) -> None:
    staff = login_with(Client())(coordinator)
    url = reverse("survivors:page_code_issue", args=[consented.person_id])
    body = staff.post(url).content.decode()
    typed = re.search(r"<bdi>([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})</bdi>", body)
    assert typed is not None
    row = SurvivorPageCode.objects.get()
    secret = typed.group(1).replace("-", "")[4:]
    assert row.lookup == typed.group(1)[:4] and secret not in row.secret_hash
    assert row.secret_hash.startswith("scrypt$")
    page = staff.get(reverse("survivors:information", args=[consented.person_id])).content
    assert typed.group(1).encode() not in page  # never shown again
    staff.post(url)
    assert SurvivorPageCode.objects.filter(revoked_at__isnull=True).count() == 1
    assert AuditEntry.objects.filter(action="survivors.page_code.issued").count() == 2


@pytest.mark.parametrize(("who", "status"), [("documenter", 403), ("viewer", 403),
                                             ("analyst", 403), ("outsider", 404)])  # fmt: skip
def test_others_may_not_issue_or_revoke(
    request: pytest.FixtureRequest, consented: SurvivorFile, who: str, status: int
) -> None:
    staff = login_with(Client())(request.getfixturevalue(who))
    for name in ("survivors:page_code_issue", "survivors:page_code_revoke"):
        assert staff.post(reverse(name, args=[consented.person_id])).status_code == status
    assert not SurvivorPageCode.objects.exists()


def test_the_survivor_sees_their_consents_and_news_without_any_name(
    client: Client, code: str, consented: SurvivorFile, survivor: Person
) -> None:
    assert enter(client, code.lower().replace("-", " ")) == 302  # typing is forgiven
    response = client.get(HOME)
    body = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert 'lang="ar"' in body and 'dir="rtl"' in body  # the language on the file
    assert "Your hearing is on 3 March" in body and "Internal" not in body
    assert "ICC" in body and 'value="legal_proceedings"' in body
    assert "Mariam" not in body and "Haddad" not in body and survivor.code not in body
    assert "<script" not in body
    entry = AuditEntry.objects.get(action="survivors.page.signed_in")
    assert entry.actor_id is None and entry.diff["actor"] == "survivor_by_code"


def test_withdrawal_on_the_page_is_effective_at_once_everywhere(
    client: Client, code: str, consented: SurvivorFile, coordinator: User, viewer: User
) -> None:
    reader = bearer_client(viewer)
    person_url = f"/api/v1/persons/{consented.person_id}"
    assert reader.get(person_url).status_code == 200
    enter(client, code)
    response = client.post(reverse("survivor_page:withdraw"), {"scope": "documentation"})
    assert response.status_code == 302
    decision = ConsentDecision.objects.order_by("-pk").first()
    assert decision is not None and decision.answer == "withdrawn"
    assert decision.consent.method == "page"
    with uses.using("survivors.participation"):
        refused = policy.can(coordinator, "view", Person.objects.get(pk=consented.person_id))
    assert not refused and "withdrawn" in str(refused.reason)
    assert reader.get(person_url).status_code == 404
    entry = AuditEntry.objects.get(action="survivors.consent.withdrawn")
    assert entry.actor_id is None and entry.diff["actor"] == "survivor_by_code"
    body = client.get(HOME).content.decode()
    with translation.override(consented.preferred_language or "en"):  # the survivor's language
        done = gettext("Done. From now on this is no longer used.")
    assert 'value="documentation"' not in body and done in body
    # withdrawing what is not given changes nothing
    client.post(reverse("survivor_page:withdraw"), {"scope": "documentation"})
    client.post(reverse("survivor_page:withdraw"), {"scope": "nonsense"})
    assert ConsentDecision.objects.filter(answer="withdrawn").count() == 1


def test_wrong_and_malformed_codes_are_refused_and_audited(client: Client, code: str) -> None:
    lookup = code[:4]
    assert enter(client, f"{lookup}-2222-2222") == 403
    assert enter(client, "hello") == 403
    assert client.get(HOME).status_code == 302
    assert AuditEntry.objects.filter(action="survivors.page.wrong_code").count() == 1


def test_revoked_code_and_open_visit_end(
    client: Client, code: str, coordinator: User, consented: SurvivorFile
) -> None:
    assert enter(client, code) == 302
    assert client.get(HOME).status_code == 200
    actions.issue_page_code(coordinator, consented)  # re-issuing revokes the old code
    assert client.get(HOME).status_code == 302  # the open visit ends at once
    assert enter(client, code) == 403
    entry = AuditEntry.objects.get(action="survivors.page.refused_code")
    assert entry.diff["reason"] == "revoked"


def test_expired_code_is_refused(client: Client, code: str) -> None:
    SurvivorPageCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert enter(client, code) == 403
    entry = AuditEntry.objects.get(action="survivors.page.refused_code")
    assert entry.diff["reason"] == "expired"


@override_settings(SURVIVORS_PAGE_SESSION_MINUTES=15)
def test_visit_expires(client: Client, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert enter(client, code) == 302
    later = page_public.time.time() + 15 * 60 + 1
    monkeypatch.setattr(page_public.time, "time", lambda: later)
    assert client.get(HOME).status_code == 302
    assert client.post(reverse("survivor_page:withdraw"), {"scope": "documentation"})[
        "Location"
    ].endswith(ENTER)


@override_settings(SURVIVORS_PAGE_CODE_RATE="3/h", SURVIVORS_PAGE_IP_RATE="100/h")
def test_attempts_per_code_are_limited(client: Client, code: str) -> None:
    lookup = code[:4]
    for _n in range(3):
        assert enter(client, f"{lookup}-2222-2222") == 403
    assert enter(client, code) == 429  # even the right secret: the code is resting
    assert client.get(HOME).status_code == 302


@override_settings(SURVIVORS_PAGE_IP_RATE="2/h", SURVIVORS_PAGE_CODE_RATE="100/h")
def test_attempts_per_ip_are_limited(client: Client, code: str) -> None:
    assert enter(client, "AAAA-2222-2222") == 403
    assert enter(client, "BBBB-2222-2222") == 403
    assert enter(client, code) == 429
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert enter(other, code) == 302


def test_leaving_ends_the_visit(client: Client, code: str) -> None:
    enter(client, code)
    assert client.post(reverse("survivor_page:leave")).status_code == 302
    assert client.get(HOME).status_code == 302


def test_a_malformed_rate_is_named() -> None:
    with pytest.raises(ImproperlyConfigured, match="5/h"):
        page_codes._parse_rate("many")
    assert page_codes._parse_rate("7/m") == (7, 60)


def test_code_format() -> None:
    lookup, secret = page_codes.new_code()
    typed = page_codes.display(lookup, secret)
    assert page_codes.split(f" {typed.lower()} ") == (lookup, secret)
    assert page_codes.split("0OIL-1111-1111") is None and page_codes.split("ABC") is None
    stored = page_codes.hash_secret(secret)
    assert page_codes.secret_matches(secret, stored)
    assert not page_codes.secret_matches("22222222", stored)
    assert not page_codes.secret_matches(secret, "garbage")


def test_staff_page_lists_codes_and_revokes_even_after_everything_is_withdrawn(
    coordinator: User, consented: SurvivorFile, client: Client, code: str
) -> None:
    staff = login_with(Client())(coordinator)
    person = reverse("violations:person_detail", args=[consented.person_id])
    page = reverse("survivors:page_codes", args=[consented.person_id])
    assert page in staff.get(person).content.decode()  # linked from the consent section
    assert "Issue a new code" in staff.get(page).content.decode()
    enter(client, code)
    client.post(reverse("survivor_page:withdraw"), {"scope": "documentation"})
    staff.post(reverse("survivors:page_code_revoke", args=[consented.person_id]))
    assert "revoked" in staff.get(page).content.decode()
    assert client.get(HOME).status_code == 302
    assert enter(client, code) == 403


def test_no_codes_link_when_the_page_is_off(
    settings: pytest.FixtureRequest, coordinator: User, consented: SurvivorFile
) -> None:
    settings.SURVIVORS_PAGE = False  # type: ignore[attr-defined]
    staff = login_with(Client())(coordinator)
    body = staff.get(reverse("violations:person_detail", args=[consented.person_id])).content
    assert b"page-code" not in body
    assert staff.get(reverse("survivors:page_codes", args=[consented.person_id])).status_code == 404
