"""``link_item`` and ``unlink_item``: who may, same organisation only, custody and audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from justicework.audit.models import AuditEntry
from justicework.evidence import custody
from justicework.evidence.actions import link_item, unlink_item
from justicework.evidence.models import CustodyEntry, Link


def _events(item):
    return list(
        CustodyEntry.objects.filter(item=item).order_by("seq").values_list("event", flat=True)
    )


@pytest.mark.parametrize("target", ["incident", "violation", "person", "source"])
def test_a_documenter_links_an_item_to_each_kind_of_record(request, documenter, acme_item, target):
    record = request.getfixturevalue(target)
    link = link_item(documenter, acme_item, record)
    assert link.kind == target and link.target_id == record.pk
    entry = CustodyEntry.objects.filter(item=acme_item).order_by("-seq").first()
    assert entry.event == "linked" and entry.detail["kind"] == target
    assert entry.detail["id"] == record.pk and entry.actor == documenter
    assert AuditEntry.objects.filter(action="evidence.custody.linked").count() == 1
    assert custody.problems(CustodyEntry.objects.filter(item=acme_item).order_by("seq")) == []


def test_a_person_link_names_the_code_never_the_identity(documenter, acme_item, person):
    link_item(documenter, acme_item, person)
    entry = CustodyEntry.objects.filter(item=acme_item, event="linked").get()
    assert entry.detail["code"] == person.code
    assert "Олена" not in str(entry.detail)
    audit = AuditEntry.objects.get(action="evidence.custody.linked")
    assert "Олена" not in str(audit.diff)


def test_unlinking_removes_the_link_and_adds_a_custody_entry(documenter, acme_item, incident):
    link = link_item(documenter, acme_item, incident)
    unlink_item(documenter, link)
    assert not Link.objects.exists()
    assert _events(acme_item)[-2:] == ["linked", "unlinked"]
    entry = CustodyEntry.objects.filter(item=acme_item).order_by("-seq").first()
    assert entry.detail["reference"] == "ACME-2023-017"


def test_linking_twice_is_refused_and_changes_nothing(documenter, acme_item, incident):
    link_item(documenter, acme_item, incident)
    with pytest.raises(ValidationError, match="already linked"):
        link_item(documenter, acme_item, incident)
    assert Link.objects.count() == 1 and _events(acme_item).count("linked") == 1


def test_another_organisations_incident_is_refused_as_if_missing(documenter, acme_item,
                                                                  beacon_incident):  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        link_item(documenter, acme_item, beacon_incident)
    assert "no such incident in this item's organisation" in str(caught.value)
    assert not Link.objects.exists() and "linked" not in _events(acme_item)


def test_the_system_cannot_link_across_organisations_either(beacon_item, incident):
    with pytest.raises(ValidationError):
        link_item(None, beacon_item, incident)


@pytest.mark.parametrize("who", ["viewer", "reviewer", "officer", "coordinator", "outsider"])
def test_who_may_not_link_is_refused(cast, acme_item, incident, who):
    with pytest.raises(PermissionDenied):
        link_item(getattr(cast, who), acme_item, incident)
    assert not Link.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_who_may_not_unlink_is_refused(cast, documenter, acme_item, incident, who):
    link = link_item(documenter, acme_item, incident)
    with pytest.raises(PermissionDenied):
        unlink_item(getattr(cast, who), link)
    assert Link.objects.count() == 1


def test_a_restricted_incident_the_user_may_not_open_is_refused_as_missing(
    documenter, acme_item, acme
):
    from ...violations.conftest import make_incident

    hidden = make_incident(acme, title="Hidden", sensitivity="restricted")
    with pytest.raises(ValidationError, match="no such incident"):
        link_item(documenter, acme_item, hidden)
