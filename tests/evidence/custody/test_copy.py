"""Copying an item to a partner organisation: a new item of the partner holding the same
original (stored once; sealed again under the partner's key when originals are sealed), its
collection record, and two chains that name each other."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from justicework.evidence import actions, custody
from justicework.evidence.models import CustodyEntry, Item, Original
from justicework.evidence.storage.originals import open_original

from ..conftest import upload_file
from ..removal.helpers import removed_item
from ..stored import raw_original
from .conftest import events


def test_a_copy_points_at_the_same_original_with_both_chains_naming_each_other(
    bridge, acme_item, beacon
):
    head = CustodyEntry.objects.filter(item=acme_item).order_by("-seq").first().hash
    copy = actions.copy_item(bridge, acme_item, beacon)
    assert copy.organisation == beacon and copy.pk != acme_item.pk
    assert copy.original_id == acme_item.original_id  # content-addressed: stored once
    assert Original.objects.count() == 1
    assert (copy.collector, copy.collected_at, copy.collection_tool) == (
        acme_item.collector, acme_item.collected_at, acme_item.collection_tool,
    )  # fmt: skip
    assert copy.display_name == acme_item.display_name
    assert events(copy) == ["received"]
    received = CustodyEntry.objects.get(item=copy, event="received")
    assert received.detail == {
        "from_organisation": acme_item.organisation_id, "from_item": acme_item.pk,
        "from_chain_head": head, "sha256": acme_item.original.sha256,
    }  # fmt: skip
    copied = CustodyEntry.objects.get(item=acme_item, event="copied")
    assert copied.detail == {
        "to_organisation": beacon.pk, "to_item": copy.pk, "source_chain_head": head,
        "sha256": acme_item.original.sha256,
    }  # fmt: skip
    for item in (acme_item, copy):
        assert custody.problems(item.custody.order_by("seq")) == []


def test_the_web_form_lists_only_organisations_where_the_user_may_upload(
    bridge, login, acme_item, beacon, acme
):
    page = login(bridge).get(reverse("evidence:item_detail", args=[acme_item.pk])).content.decode()
    assert "Copy to a partner organisation" in page
    assert f'<option value="{beacon.pk}">' in page
    assert f'<option value="{acme.pk}">' not in page  # its own organisation


def test_the_web_form_refuses_an_organisation_it_does_not_offer(bridge, login, acme_item, acme):
    response = login(bridge).post(
        reverse("evidence:item_copy", args=[acme_item.pk]), {"organisation": acme.pk}
    )
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    assert "copied" not in events(acme_item)


def test_the_web_form_copies(bridge, login, acme_item, beacon):
    response = login(bridge).post(
        reverse("evidence:item_copy", args=[acme_item.pk]), {"organisation": beacon.pk}
    )
    assert response.status_code == 302
    copy = Item.objects.get(organisation=beacon)
    assert events(acme_item)[-1] == "copied" and events(copy) == ["received"]


def test_the_api_copies(bridge, bearer, acme_item, beacon):
    response = bearer(bridge).post(
        f"/api/v1/evidence/items/{acme_item.pk}/copy", {"organisation_id": beacon.pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation_id"] == beacon.pk and body["sha256"] == acme_item.original.sha256


def test_the_partner_opens_the_copy_and_not_the_source(outsider, bridge, login, acme_item, beacon):
    copy = actions.copy_item(bridge, acme_item, beacon)
    client = login(outsider)
    assert client.get(reverse("evidence:item_detail", args=[copy.pk])).status_code == 200
    assert client.get(reverse("evidence:item_detail", args=[acme_item.pk])).status_code == 404


def test_copying_without_upload_in_the_target_is_refused(admin, login, bearer, acme_item, beacon):
    """acme's admin may copy (record.verify) but is no member of beacon."""
    with pytest.raises(PermissionDenied):
        actions.copy_item(admin, acme_item, beacon)
    response = login(admin).post(
        reverse("evidence:item_copy", args=[acme_item.pk]), {"organisation": beacon.pk}
    )
    assert response.status_code == 403 and "nowhere to copy to" in response.content.decode()
    api = bearer(admin).post(
        f"/api/v1/evidence/items/{acme_item.pk}/copy", {"organisation_id": beacon.pk},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 404  # an organisation one may not upload to is not named
    assert not Item.objects.filter(organisation=beacon).exists()
    assert "copied" not in events(acme_item)


def test_a_documenter_may_not_copy_even_where_they_upload(documenter, beacon, acme_item, login):
    """Copying needs record.verify in the source organisation (a documenter has not)."""
    from justicework.core import actions as core_actions
    from justicework.core.roles import Role

    core_actions.add_member(None, beacon, documenter, Role.DOCUMENTER)
    documenter.forget_memberships()
    with pytest.raises(PermissionDenied):
        actions.copy_item(documenter, acme_item, beacon)
    response = login(documenter).post(
        reverse("evidence:item_copy", args=[acme_item.pk]), {"organisation": beacon.pk}
    )
    assert response.status_code == 403
    page = login(documenter).get(reverse("evidence:item_detail", args=[acme_item.pk])).content
    assert "Copy to a partner organisation" not in page.decode()
    assert not Item.objects.filter(organisation=beacon).exists()


@pytest.mark.parametrize("who", ["outsider", "beacon_admin", "viewer", "reviewer", "coordinator"])
def test_who_may_not_open_the_item_cannot_copy_it(cast, login, bearer, acme_item, beacon, who):
    user = getattr(cast, who)
    url = reverse("evidence:item_copy", args=[acme_item.pk])
    assert login(user).post(url, {"organisation": beacon.pk}).status_code == 404
    api = bearer(user).post(
        f"/api/v1/evidence/items/{acme_item.pk}/copy", {"organisation_id": beacon.pk},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 404
    assert Item.objects.filter(organisation=beacon).count() == 0


def test_copying_to_its_own_organisation_is_refused(admin, acme_item, acme):
    with pytest.raises(ValidationError, match="belongs to this organisation"):
        actions.copy_item(admin, acme_item, acme)


def test_a_removed_item_cannot_be_copied(bridge, acme, beacon):
    item = removed_item(bridge, acme)
    with pytest.raises(PermissionDenied, match="tombstone"):
        actions.copy_item(bridge, item, beacon)


def test_a_sealed_original_is_sealed_again_under_the_partner_key(
    backend, bridge, documenter, acme, beacon
):
    """Encrypted originals are never shared between organisations (storage.originals): the copy
    gets the same plaintext sealed for the partner; plain ones are the same row."""
    data = b"sealed or not " * 500
    item = upload_file(documenter, acme, data, filename="s.txt")
    copy = actions.copy_item(bridge, item, beacon)
    with open_original(copy.original) as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == item.original.sha256
    if backend.endswith("-sealed"):
        assert copy.original_id != item.original_id
        assert copy.original.vault_id == beacon.pk and copy.original.sha256 == item.original.sha256
        assert raw_original(copy.original) != raw_original(item.original)
        assert b"sealed or not" not in raw_original(copy.original)
        assert events(copy) == ["received", "sealed"]
        again = actions.copy_item(
            bridge, upload_file(documenter, acme, data, filename="t.txt"), beacon
        )
        assert again.original_id == copy.original_id  # once per content and organisation
    else:
        assert copy.original_id == item.original_id
        assert events(copy)[0] == "received"


def test_a_damaged_sealed_original_is_not_copied_and_the_page_says_so(
    settings, bridge, documenter, login, acme, beacon
):
    from ..stored import overwrite

    settings.EVIDENCE_ENCRYPT = True
    item = upload_file(documenter, acme, b"to be damaged " * 100, filename="d.txt")
    stored = raw_original(item.original)
    overwrite(item.original.storage_key, stored[:-5] + b"XXXXX")
    response = login(bridge).post(
        reverse("evidence:item_copy", args=[item.pk]), {"organisation": beacon.pk}
    )
    assert response.status_code == 422
    assert "nothing was copied" in response.content.decode()
    assert not Item.objects.filter(organisation=beacon).exists()
    assert "copied" not in events(item)
    assert not Original.objects.filter(vault=beacon).exists()


def test_a_damaged_sealed_original_is_not_copied_through_the_api(
    settings, bridge, documenter, bearer, acme, beacon
):
    from ..stored import overwrite

    settings.EVIDENCE_ENCRYPT = True
    item = upload_file(documenter, acme, b"to be damaged " * 100, filename="d.txt")
    stored = raw_original(item.original)
    overwrite(item.original.storage_key, stored[:-5] + b"XXXXX")
    response = bearer(bridge).post(
        f"/api/v1/evidence/items/{item.pk}/copy", {"organisation_id": beacon.pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 409, response.content
    assert "nothing was copied" in response.json()["detail"]
    assert not Item.objects.filter(organisation=beacon).exists()
    assert "copied" not in events(item)
