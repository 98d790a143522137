"""The upload actions called directly (as the API, a command or a task would)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.evidence import actions
from justicework.evidence.intake import quota
from justicework.evidence.models import Upload
from justicework.evidence.storage import store


def test_a_viewer_cannot_start_an_upload(viewer, acme):
    with pytest.raises(PermissionDenied):
        actions.create_upload(viewer, acme, length=5, metadata={})
    assert not Upload.objects.exists()


def test_a_documenter_cannot_start_one_in_another_organisation(documenter, beacon):
    with pytest.raises(PermissionDenied):
        actions.create_upload(documenter, beacon, length=5, metadata={})


def test_bad_metadata_changes_nothing(documenter, acme):
    with pytest.raises(ValidationError) as raised:
        actions.create_upload(documenter, acme, length=5, metadata={"source_url": "ftp://x"})
    assert "source_url" in raised.value.error_dict
    assert (
        not Upload.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="evidence.").exists()
    )


def test_expired_uploads_free_their_quota_and_bytes(documenter, acme, settings):
    settings.EVIDENCE_QUOTA_BYTES = 100
    old = actions.create_upload(documenter, acme, length=80, metadata={})
    assert quota.used_bytes(acme) == 80
    Upload.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    fresh = actions.create_upload(documenter, acme, length=90, metadata={})
    assert Upload.objects.get(pk=old.pk).status == Upload.Status.EXPIRED
    assert not store().part_path(old.pk).exists() and store().part_path(fresh.pk).exists()
    assert AuditEntry.objects.filter(action="evidence.upload.expired").count() == 1


def test_another_person_cannot_terminate_an_upload(documenter, admin, acme):
    upload = actions.create_upload(documenter, acme, length=5, metadata={})
    with pytest.raises(PermissionDenied):
        actions.terminate_upload(admin, upload)
    assert Upload.objects.get().status == Upload.Status.RECEIVING
