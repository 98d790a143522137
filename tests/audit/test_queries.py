from __future__ import annotations

import pytest

from justicework.audit.models import AuditEntry
from justicework.audit.queries import entries_for
from justicework.core import policy
from tests.audit.helpers import append


@pytest.fixture
def logs(cast):
    append(3, organisation_id=cast.acme.pk)
    append(2, organisation_id=cast.beacon.pk)
    return cast


def test_org_admin_reads_own_organisation_entries_newest_first(logs, django_assert_num_queries):
    expected = AuditEntry.objects.filter(organisation_id=logs.acme.pk).count()
    logs.admin.forget_memberships()
    with django_assert_num_queries(2):  # memberships, then the entries
        entries = list(entries_for(logs.admin, logs.acme))
    assert len(entries) == expected >= 3
    assert all(e.organisation_id == logs.acme.pk for e in entries)
    assert [e.seq for e in entries] == sorted((e.seq for e in entries), reverse=True)


def test_org_admin_cannot_read_another_organisations_entries(logs):
    assert list(entries_for(logs.admin, logs.beacon)) == []
    assert not policy.can(
        logs.admin, "view", AuditEntry.objects.filter(organisation_id=logs.beacon.pk).first()
    )


def test_members_without_audit_capability_read_nothing(logs):
    for user in [logs.analyst, logs.documenter, logs.viewer, logs.outsider, logs.loner]:
        assert list(entries_for(user, logs.acme)) == []
        assert not policy.visible(user, AuditEntry).filter(organisation_id=logs.acme.pk).exists()


def test_anonymous_reads_nothing(logs):
    from django.contrib.auth.models import AnonymousUser

    assert list(entries_for(AnonymousUser(), logs.acme)) == []


def test_visible_covers_every_organisation_where_the_user_may_audit(logs):
    ids = set(
        policy.visible(logs.beacon_admin, AuditEntry).values_list("organisation_id", flat=True)
    )
    assert ids == {logs.beacon.pk}
