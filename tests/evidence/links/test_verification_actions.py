"""Findings and the verification status machine: who may, the transitions, two-person
verification, custody "verified" and audit entries for every act."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.models import AuditEntry
from justicework.evidence import verification
from justicework.evidence.actions import record_finding, set_status, set_two_person_verification
from justicework.evidence.models import CustodyEntry, Finding, Item


def _finding(user, item, level="content", confidence="high"):
    return record_finding(user, item, level=level, text="Shadows fit 14:00", confidence=confidence)


def test_a_finding_is_a_custody_entry_and_puts_the_item_in_review(analyst, acme_item):
    finding = _finding(analyst, acme_item)
    assert finding.reviewer == analyst and finding.level == "content"
    entries = list(CustodyEntry.objects.filter(item=acme_item, event="verified").order_by("seq"))
    assert [e.detail["act"] for e in entries] == ["finding", "status"]
    assert entries[1].detail["from"] == "unverified" and entries[1].detail["to"] == "in_review"
    acme_item.refresh_from_db()
    assert acme_item.status == Item.Status.IN_REVIEW
    assert AuditEntry.objects.filter(action="evidence.custody.verified").count() == 2


def test_an_item_is_verified_after_a_finding(analyst, acme_item):
    _finding(analyst, acme_item)
    set_status(analyst, acme_item, "verified", note="Three sources agree")
    acme_item.refresh_from_db()
    assert acme_item.status == "verified"
    last = CustodyEntry.objects.filter(item=acme_item).order_by("-seq").first()
    assert last.event == "verified" and last.detail["to"] == "verified"


def test_no_conclusion_without_a_finding(analyst, acme_item):
    set_status(analyst, acme_item, "in_review")
    with pytest.raises(ValidationError, match="at least one finding"):
        set_status(analyst, acme_item, "verified")
    acme_item.refresh_from_db()
    assert acme_item.status == "in_review"


@pytest.mark.parametrize(("current", "new"), [("unverified", "verified"),
                                               ("unverified", "disputed"),
                                               ("verified", "disputed"),
                                               ("in_review", "unverified"),
                                               ("in_review", "nonsense")])  # fmt: skip
def test_the_machine_refuses_other_transitions(current, new):
    assert verification.problem(current, new, finding_authors=[1], actor_id=1, two_person=False)


def test_the_machine_allows_reopening():
    for status in ("verified", "disputed"):
        assert not verification.problem(
            status, "in_review", finding_authors=[], actor_id=1, two_person=True
        )


def test_two_person_verification_refuses_the_findings_author(admin, analyst, acme, acme_item):
    set_two_person_verification(admin, acme, True)
    _finding(analyst, acme_item)
    with pytest.raises(ValidationError, match="another reviewer must mark it verified"):
        set_status(analyst, acme_item, "verified")
    set_status(admin, acme_item, "verified")
    acme_item.refresh_from_db()
    assert acme_item.status == "verified"
    last = CustodyEntry.objects.filter(item=acme_item).order_by("-seq").first()
    assert last.detail["two_person"] is True and last.actor == admin


def test_two_person_verification_refuses_a_reviewer_who_also_wrote_a_finding(
    admin, analyst, acme, acme_item
):
    set_two_person_verification(admin, acme, True)
    _finding(analyst, acme_item)
    _finding(admin, acme_item, level="source")
    with pytest.raises(ValidationError, match="Two-person"):
        set_status(admin, acme_item, "verified")


def test_disputing_needs_no_second_person(admin, analyst, acme, acme_item):
    set_two_person_verification(admin, acme, True)
    _finding(analyst, acme_item, confidence="low")
    set_status(analyst, acme_item, "disputed")
    acme_item.refresh_from_db()
    assert acme_item.status == "disputed"


def test_the_setting_change_is_audited(admin, acme):
    set_two_person_verification(admin, acme, True)
    entry = AuditEntry.objects.get(action="evidence.settings.changed")
    assert entry.diff == {"two_person_verification": [False, True]}


@pytest.mark.parametrize("who", ["analyst", "documenter", "viewer", "beacon_admin"])
def test_only_an_admin_of_the_organisation_changes_the_setting(cast, acme, who):
    with pytest.raises(PermissionDenied):
        set_two_person_verification(getattr(cast, who), acme, True)


@pytest.mark.parametrize("who", ["documenter", "viewer", "reviewer", "coordinator", "outsider",
                                 "beacon_admin"])  # fmt: skip
def test_who_may_not_verify_is_refused(cast, acme_item, who):
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        _finding(user, acme_item)
    with pytest.raises(PermissionDenied):
        set_status(user, acme_item, "in_review")
    assert not Finding.objects.exists()
    assert not CustodyEntry.objects.filter(event="verified").exists()


@pytest.mark.parametrize(("field", "values"), [
    ("level", {"level": "pixel"}), ("confidence", {"confidence": "certain"}),
    ("text", {"text": "  "}), ("text", {"text": "x" * 5001}),
])  # fmt: skip
def test_a_bad_finding_names_its_field_and_changes_nothing(analyst, acme_item, field, values):
    data = {"level": "item", "text": "Hash matches", "confidence": "medium", **values}
    with pytest.raises(ValidationError) as caught:
        record_finding(analyst, acme_item, **data)
    assert field in caught.value.message_dict
    assert not Finding.objects.exists()
