"""The list's "package" action: a background task with a progress bar, the result downloadable
by the requester only (the immediate task backend runs the work at commit)."""

from __future__ import annotations

import io
import zipfile

import pytest

from justicework.audit.models import AuditEntry
from justicework.evidence.models import Package
from justicework.tasks.models import Progress

from .conftest import two_items

pytestmark = pytest.mark.django_db(transaction=True)


def _ask(client, items):
    return client.post("/evidence/packages/", {"item": [str(i.pk) for i in items]})


def test_a_documenter_packages_chosen_items_and_downloads_the_result(login, cast, tmp_path):
    items = two_items(cast.documenter, cast.acme)
    client = login(cast.documenter)
    listing = client.get("/evidence/items/")
    assert f'name="item" value="{items[0].pk}"' in listing.content.decode()
    response = _ask(client, items)
    package = Package.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{package.pk}/")
    assert package.status == "ready" and package.item_ids == [i.pk for i in items]
    progress = Progress.objects.get(pk=package.progress_id)
    assert progress.status == "succeeded" and progress.done == progress.total > 0
    page = client.get(f"/evidence/packages/{package.pk}/").content.decode()
    assert f"/evidence/packages/{package.pk}/download" in page and "hx-get" not in page
    download = client.get(f"/evidence/packages/{package.pk}/download")
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "manifest.json" in archive.namelist()
    assert AuditEntry.objects.filter(action="evidence.package.downloaded").count() == 1


@pytest.mark.parametrize("who", ["admin", "analyst", "viewer", "outsider"])
def test_nobody_else_may_see_or_download_the_package(who, login, cast):
    items = two_items(cast.documenter, cast.acme)
    _ask(login(cast.documenter), items)
    package = Package.objects.get()
    other = login(getattr(cast, who))
    assert other.get(f"/evidence/packages/{package.pk}/").status_code == 404
    assert other.get(f"/evidence/packages/{package.pk}/download").status_code == 404
    assert not AuditEntry.objects.filter(action="evidence.package.downloaded").exists()


@pytest.mark.parametrize("who", ["viewer", "reviewer"])
def test_who_may_not_open_evidence_may_not_ask_for_a_package(who, login, cast):
    items = two_items(cast.documenter, cast.acme)
    client = login(getattr(cast, who))
    assert 'name="item"' not in client.get("/evidence/items/").content.decode()
    assert _ask(client, items).status_code == 403
    assert not Package.objects.exists()


def test_another_organisations_items_are_refused(login, cast):
    theirs = two_items(cast.outsider, cast.beacon)
    response = _ask(login(cast.documenter), theirs)
    assert response.status_code == 302 and response["Location"].endswith("/evidence/items/")
    assert not Package.objects.exists()


def test_a_package_that_fails_says_so(login, cast, settings):
    items = two_items(cast.documenter, cast.acme)
    settings.EVIDENCE_TSA_URL = "http://127.0.0.1:9/"  # nothing listens: the build fails
    client = login(cast.documenter)
    _ask(client, items)
    package = Package.objects.get()
    assert package.status == "failed" and "did not answer" in package.problem
    assert Progress.objects.get(pk=package.progress_id).status == "failed"
    assert client.get(f"/evidence/packages/{package.pk}/download").status_code == 302
