"""Verification on the web: findings, the status form, the two-person setting; allow and
deny for each view, the errors shown, custody entries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from justicework.evidence.actions import record_finding, set_two_person_verification
from justicework.evidence.models import CustodyEntry, Finding, VaultSettings

FINDING = {"level": "content", "confidence": "medium", "text": "Shadows fit mid-afternoon"}


def test_an_analyst_records_a_finding_and_verifies(analyst, login, acme_item):
    client = login(analyst)
    response = client.post(reverse("evidence:finding_create", args=[acme_item.pk]), FINDING)
    assert response.status_code == 302
    response = client.post(
        reverse("evidence:status_change", args=[acme_item.pk]), {"status": "verified"}
    )
    assert response.status_code == 302
    acme_item.refresh_from_db()
    assert acme_item.status == "verified"
    assert CustodyEntry.objects.filter(item=acme_item, event="verified").count() == 3
    page = client.get(reverse("evidence:item_detail", args=[acme_item.pk])).content.decode()
    assert "Shadows fit mid-afternoon" in page and "Medium" in page and "Verified" in page


def test_the_item_page_shows_the_verification_forms_only_to_verifiers(
    analyst, documenter, login, acme_item
):
    verifier = login(analyst).get(reverse("evidence:item_detail", args=[acme_item.pk]))
    other = login(documenter).get(reverse("evidence:item_detail", args=[acme_item.pk]))
    assert "Record the finding" in verifier.content.decode()
    assert "Record the finding" not in other.content.decode()


def test_a_bad_finding_is_shown_with_its_field_and_nothing_is_written(analyst, login, acme_item):
    response = login(analyst).post(
        reverse("evidence:finding_create", args=[acme_item.pk]), {**FINDING, "level": "pixel"}
    )
    assert response.status_code == 422 and "pixel" in response.content.decode()
    assert not Finding.objects.exists()


def test_two_person_refusal_is_shown_on_the_page(admin, analyst, acme, login, acme_item):
    set_two_person_verification(admin, acme, True)
    record_finding(analyst, acme_item, **FINDING)
    response = login(analyst).post(
        reverse("evidence:status_change", args=[acme_item.pk]), {"status": "verified"}
    )
    assert response.status_code == 422
    assert "another reviewer must mark it verified" in response.content.decode()
    acme_item.refresh_from_db()
    assert acme_item.status == "in_review"


@pytest.mark.parametrize("who", ["outsider", "beacon_admin", "viewer", "reviewer", "coordinator",
                                 "officer", "loner"])  # fmt: skip
def test_who_may_not_open_the_item_gets_404_on_verification(cast, login, acme_item, who):
    client = login(getattr(cast, who))
    finding = client.post(reverse("evidence:finding_create", args=[acme_item.pk]), FINDING)
    status = client.post(
        reverse("evidence:status_change", args=[acme_item.pk]), {"status": "in_review"}
    )
    assert finding.status_code == status.status_code == 404
    assert not Finding.objects.exists()


def test_a_documenter_who_opens_the_item_may_not_verify_it(documenter, login, acme_item):
    client = login(documenter)
    finding = client.post(reverse("evidence:finding_create", args=[acme_item.pk]), FINDING)
    status = client.post(
        reverse("evidence:status_change", args=[acme_item.pk]), {"status": "in_review"}
    )
    assert finding.status_code == status.status_code == 403
    assert not CustodyEntry.objects.filter(event="verified").exists()


def test_an_admin_turns_two_person_verification_on(admin, login, acme):
    client = login(admin)
    assert "two_person_verification" in client.get(reverse("evidence:item_list")).content.decode()
    response = client.post(reverse("evidence:vault_settings"), {"two_person_verification": "on"})
    assert response.status_code == 302
    assert VaultSettings.objects.get(organisation=acme).two_person_verification is True
    client.post(reverse("evidence:vault_settings"), {})
    assert VaultSettings.objects.get(organisation=acme).two_person_verification is False


@pytest.mark.parametrize("who", ["analyst", "documenter", "viewer", "loner"])
def test_who_is_not_an_admin_may_not_change_the_setting(cast, login, who):
    client = login(getattr(cast, who))
    response = client.post(reverse("evidence:vault_settings"), {"two_person_verification": "on"})
    assert response.status_code == 403
    assert not VaultSettings.objects.exists()
