"""Consent on the evidence item itself (issue 13): a picture, video or sound recording linked to
a survivor needs their consent to recorded statements and images; withdrawn, the item's page,
its thumbnail, its place in lists and in a package are refused, with the reason naming the
missing consent; given again, all open again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from justicework.core import policy, uses
from justicework.core.models import Organisation, User
from justicework.core.uses import Scope
from justicework.evidence import actions as evidence_actions
from justicework.evidence.actions import make_derivatives, packages
from justicework.evidence.models import Item
from justicework.survivors.gate import use_label
from justicework.survivors.gate_items import persons_shown
from justicework.survivors.models import SurvivorFile
from justicework.violations import actions as violations_actions
from tests.evidence.conftest import upload_file
from tests.evidence.provenance import files
from tests.survivors.conftest import give, withdraw

pytestmark = pytest.mark.django_db

S = Scope.STATEMENTS_IMAGES
WITHDRAWN = f"No consent for {use_label(S, '')} — withdrawn on "


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def picture(documenter: User, acme: Organisation, file: SurvivorFile, coordinator: User) -> Item:
    """A photograph linked to a survivor who consented to documentation, statements and
    images, and legal proceedings."""
    give(coordinator, file, Scope.DOCUMENTATION, S, Scope.LEGAL_PROCEEDINGS)
    item = upload_file(documenter, acme, files.jpeg_with_exif(files.picture(40)), filename="p.jpg")
    make_derivatives(item.original)
    evidence_actions.link_item(documenter, item, file.person)
    return Item.objects.select_related("original").get(pk=item.pk)


def _pages(item: Item) -> list[str]:
    return [
        reverse("evidence:item_detail", args=[item.pk]),
        reverse("evidence:derivative_file", args=[item.pk, "thumbnail"]),
        reverse("evidence:derivative_file", args=[item.pk, "preview"]),
    ]


def test_a_picture_linked_to_a_survivor_is_a_picture_of_them(picture: Item) -> None:
    assert picture.original.media_type == "image/jpeg"
    assert persons_shown(picture.pk) == [picture.links.get().person_id]


def test_policy_refuses_the_picture_after_withdrawal_naming_the_consent(
    picture: Item, analyst: User, coordinator: User, file: SurvivorFile
) -> None:
    with uses.using("evidence.records"):
        assert policy.can(analyst, "view", picture)
        assert picture in policy.visible(analyst, Item)
    consent = withdraw(coordinator, file, S)
    with uses.using("evidence.records"):
        decision = policy.can(analyst, "view", picture)
        assert not decision
        day = consent.given_at.date().isoformat()
        assert str(decision.reason) == f"{WITHDRAWN}{day}."
        assert picture not in policy.visible(analyst, Item)
    give(coordinator, file, S)
    with uses.using("evidence.records"):
        assert policy.can(analyst, "view", picture)
        assert picture in policy.visible(analyst, Item)


def test_a_withdrawal_in_the_same_use_takes_effect_at_once(
    picture: Item, analyst: User, coordinator: User, file: SurvivorFile
) -> None:
    """An answer remembered within a use (after a look-up) is forgotten with the consent."""
    with uses.using("evidence.records"):
        assert policy.get_or_404(analyst, Item, "view", pk=picture.pk) == picture
        withdraw(coordinator, file, S)
        assert not policy.can(analyst, "view", picture)


def test_item_page_and_thumbnail_refused_after_withdrawal_and_open_after_consent_again(
    picture: Item, analyst: User, coordinator: User, file: SurvivorFile,
    login: Callable[[User], Client],
) -> None:  # fmt: skip
    client = login(analyst)
    assert [client.get(url).status_code for url in _pages(picture)] == [200, 200, 200]
    withdraw(coordinator, file, S)
    assert [client.get(url).status_code for url in _pages(picture)] == [404, 404, 404]
    shared = reverse("evidence:stripped_copy", args=[picture.pk])
    assert client.post(shared).status_code == 404
    listed = client.get(reverse("evidence:item_list")).content.decode()
    assert reverse("evidence:item_detail", args=[picture.pk]) not in listed
    give(coordinator, file, S)
    assert [client.get(url).status_code for url in _pages(picture)] == [200, 200, 200]
    assert client.post(shared).status_code == 200


def test_the_api_refuses_the_picture_after_withdrawal_and_gives_it_after_consent_again(
    picture: Item, analyst: User, coordinator: User, file: SurvivorFile,
    bearer: Callable[[User], Client],
) -> None:  # fmt: skip
    api = bearer(analyst)
    url = f"/api/v1/evidence/items/{picture.pk}"
    assert api.get(url).status_code == 200
    withdraw(coordinator, file, S)
    assert api.get(url).status_code == 404
    assert picture.pk not in [r["id"] for r in api.get("/api/v1/evidence/items").json()["items"]]
    give(coordinator, file, S)
    assert api.get(url).status_code == 200


def test_withdrawing_documentation_also_closes_the_picture(
    picture: Item, analyst: User, coordinator: User, file: SurvivorFile,
    login: Callable[[User], Client],
) -> None:  # fmt: skip
    withdraw(coordinator, file, Scope.DOCUMENTATION)
    assert login(analyst).get(_pages(picture)[0]).status_code == 404


def test_package_refuses_the_picture_naming_the_consent_and_takes_it_after_consent_again(
    picture: Item, analyst: User, coordinator: User, file: SurvivorFile, acme: Organisation
) -> None:
    with uses.using("evidence.package"):
        assert packages.select_items(analyst, acme, [picture.pk]) == [picture]
    withdraw(coordinator, file, S)
    with uses.using("evidence.package"), pytest.raises(ValidationError) as exc:
        packages.select_items(analyst, acme, [picture.pk])
    message = exc.value.messages[0]
    assert message.startswith(f"Evidence item {picture.pk} cannot be packaged: {WITHDRAWN}")
    give(coordinator, file, S)
    with uses.using("evidence.package"):
        assert packages.select_items(analyst, acme, [picture.pk]) == [picture]


def test_package_request_on_the_web_shows_the_missing_consent(
    picture: Item, analyst: User, coordinator: User, file: SurvivorFile,
    login: Callable[[User], Client],
) -> None:  # fmt: skip
    client = login(analyst)
    withdraw(coordinator, file, S)
    url = reverse("evidence:package_create")
    page = client.post(url, {"item": [picture.pk]}, follow=True).content.decode()
    assert WITHDRAWN in page.replace("&#x27;", "'")
    give(coordinator, file, S)
    response = client.post(url, {"item": [picture.pk]})
    assert response.status_code == 302 and "/packages/" in response["Location"]


def test_a_package_of_someone_elses_item_says_nothing_of_consent(
    picture: Item, outsider: User, coordinator: User, file: SurvivorFile, beacon: Organisation
) -> None:
    withdraw(coordinator, file, S)
    with uses.using("evidence.package"), pytest.raises(ValidationError) as exc:
        packages.select_items(outsider, beacon, [picture.pk])
    assert "consent" not in exc.value.messages[0]
    with uses.using("evidence.package"):
        assert policy.held_back(outsider, "package", Item.objects.filter(pk=picture.pk)) == []


def test_a_document_linked_to_the_survivor_is_not_a_statement_or_image(
    documenter: User, acme: Organisation, analyst: User, coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, Scope.DOCUMENTATION, S)
    item = upload_file(documenter, acme, b"Notes of the meeting.\n", filename="notes.txt")
    evidence_actions.link_item(documenter, item, file.person)
    withdraw(coordinator, file, S)
    assert persons_shown(item.pk) == []
    with uses.using("evidence.records"):
        assert policy.can(analyst, "view", item)
        assert item in policy.visible(analyst, Item)


def test_a_picture_of_a_person_without_a_survivor_file_is_not_gated(
    documenter: User, acme: Organisation, analyst: User
) -> None:
    person = violations_actions.create_person(None, acme, full_name="Someone Else")
    item = upload_file(documenter, acme, files.jpeg_with_exif(files.picture(30)), filename="x.jpg")
    evidence_actions.link_item(documenter, item, person)
    with uses.using("evidence.records"):
        assert policy.can(analyst, "view", item)
        assert item in policy.visible(analyst, Item)


def test_reading_an_item_without_a_declared_use_is_refused(picture: Item, analyst: User) -> None:
    with uses.cleared(), pytest.raises(policy.UndeclaredUse):
        policy.can(analyst, "view", picture)


def test_removal_of_the_picture_stays_possible_after_withdrawal(
    picture: Item, admin: User, coordinator: User, file: SurvivorFile,
    login: Callable[[User], Client],
) -> None:  # fmt: skip
    """A withdrawal may be why the picture is to be removed: asking for it needs no consent
    (the "evidence.removal" use), while the item's own page stays closed."""
    withdraw(coordinator, file, S)
    client = login(admin)
    assert client.get(_pages(picture)[0]).status_code == 404
    url = reverse("evidence:removal_request", args=[picture.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"reason": "The survivor withdrew consent.", "legal_basis": "GDPR art. 17"}
    )
    assert response.status_code == 302
    assert picture.removal_requests.get().reason == "The survivor withdrew consent."
