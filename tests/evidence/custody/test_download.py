"""Downloading the original: POST on the web (a prefetch records nothing), GET on the API; the
bytes as received (decrypted when sealed, on local files and on S3), as an attachment with the
neutralised name, never cached; custody entry "downloaded" with SHA-256, size and channel."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.evidence import custody
from justicework.evidence.models import CustodyEntry

from ..conftest import upload_file
from ..removal.helpers import removed_item
from ..stored import sealed
from .conftest import DATA, events

DENIED = ["outsider", "beacon_admin", "viewer", "officer", "reviewer", "coordinator", "loner"]


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_web_download_gives_the_original_and_records_it(analyst, login, acme_item):
    response = login(analyst).post(reverse("evidence:original_download", args=[acme_item.pk]))
    assert response.status_code == 200
    data = _body(response)
    assert hashlib.sha256(data).hexdigest() == acme_item.original.sha256 and data == DATA
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "\u202e" not in response["Content-Disposition"]  # the bidi override is gone
    assert "gpj.txt" in response["Content-Disposition"]
    entry = CustodyEntry.objects.get(item=acme_item, event="downloaded")
    assert entry.actor == analyst
    assert entry.detail == {
        "sha256": acme_item.original.sha256,
        "size": len(DATA),
        "channel": "web",
    }
    assert AuditEntry.objects.filter(action="evidence.custody.downloaded").count() == 1
    assert custody.problems(acme_item.custody.order_by("seq")) == []


def test_a_get_of_the_web_download_records_nothing(documenter, login, acme_item):
    response = login(documenter).get(reverse("evidence:original_download", args=[acme_item.pk]))
    assert response.status_code == 405
    assert "downloaded" not in events(acme_item)


def test_the_api_download_gives_the_original_and_records_its_channel(documenter, bearer, acme_item):
    response = bearer(documenter, "read").get(f"/api/v1/evidence/items/{acme_item.pk}/original")
    assert response.status_code == 200
    assert hashlib.sha256(_body(response)).hexdigest() == acme_item.original.sha256
    assert response["Cache-Control"] == "private, no-store"
    assert CustodyEntry.objects.get(item=acme_item, event="downloaded").detail["channel"] == "api"


def test_the_item_page_offers_the_download_with_a_warning(documenter, login, acme_item):
    page = login(documenter).get(reverse("evidence:item_detail", args=[acme_item.pk])).content
    text = page.decode()
    assert reverse("evidence:original_download", args=[acme_item.pk]) in text
    assert "with all its metadata" in text


@pytest.mark.parametrize("who", DENIED)
def test_who_may_not_open_the_item_cannot_download_it_on_the_web(cast, login, acme_item, who):
    url = reverse("evidence:original_download", args=[acme_item.pk])
    assert login(getattr(cast, who)).post(url).status_code == 404
    assert "downloaded" not in events(acme_item)


@pytest.mark.parametrize("who", ["outsider", "beacon_admin", "viewer", "officer", "reviewer"])
def test_who_may_not_open_the_item_cannot_download_it_through_the_api(cast, bearer, acme_item, who):
    client = bearer(getattr(cast, who), "read")
    assert client.get(f"/api/v1/evidence/items/{acme_item.pk}/original").status_code == 404
    assert "downloaded" not in events(acme_item)


def test_a_removed_item_cannot_be_downloaded_and_says_why(admin, acme, login, bearer):
    item = removed_item(admin, acme)
    before = events(item)
    response = login(admin).post(reverse("evidence:original_download", args=[item.pk]))
    assert response.status_code == 403
    assert "only its tombstone is left" in response.content.decode()
    api = bearer(admin, "read").get(f"/api/v1/evidence/items/{item.pk}/original")
    assert api.status_code == 403 and "tombstone" in api.json()["detail"]
    assert events(item) == before
    page = login(admin).get(reverse("evidence:item_detail", args=[item.pk])).content.decode()
    assert reverse("evidence:original_download", args=[item.pk]) not in page


def test_the_download_hashes_to_the_original_on_every_backend(backend, documenter, acme, login):
    """Local files and the local S3 server, originals plain and sealed."""
    data = b"bytes on %s " % backend.encode() * 1000
    item = upload_file(documenter, acme, data, filename="clip.txt")
    assert item.original.encrypted is sealed(backend)
    response = login(documenter).post(reverse("evidence:original_download", args=[item.pk]))
    assert response.status_code == 200
    body = _body(response)
    assert hashlib.sha256(body).hexdigest() == item.original.sha256 and body == data
    assert int(response["Content-Length"]) == len(data)
