"""Derivatives on the web: thumbnails and previews (allow and deny), the stripped copy downloaded
for sharing (a custody entry "shared", audited; deny tests), the graphic flag (set at upload and
on the item page by those allowed, audited; deny tests) and the blurred pictures it gives."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.evidence import custody
from justicework.evidence.actions import make_derivatives, set_graphic, share_stripped_copy
from justicework.evidence.models import CustodyEntry, Derivative, Item
from justicework.evidence.storage import store

from ..conftest import ENDPOINT, TUS, metadata_header, upload_file
from ..provenance import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture(documenter, acme):
    data = files.jpeg_with_exif(files.picture(70), make="Canon", gps=(50.45, 30.52))
    item = upload_file(documenter, acme, data, filename="scene.jpg")
    make_derivatives(item.original)
    return item


def _url(name, item, *args):
    return reverse(f"evidence:{name}", args=[item.pk, *args])


@pytest.mark.parametrize("kind", ["thumbnail", "preview"])
def test_the_thumbnail_and_preview_are_served_to_who_may_view(analyst, login, picture, kind):
    response = login(analyst).get(_url("derivative_file", picture, kind))
    row = Derivative.objects.get(original=picture.original, kind=kind)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == store().derivative_path(row.sha256).read_bytes()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["viewer", "reviewer", "outsider", "beacon_admin"])
def test_who_may_not_view_the_item_gets_404_for_its_pictures(cast, login, picture, who):
    client = login(getattr(cast, who))
    assert client.get(_url("derivative_file", picture, "thumbnail")).status_code == 404
    assert client.post(_url("stripped_copy", picture)).status_code == 404
    assert client.post(_url("item_graphic", picture), {"graphic": "1"}).status_code == 404
    assert not CustodyEntry.objects.filter(item=picture, event="shared").exists()


def test_the_stripped_copy_is_not_served_as_a_picture(analyst, login, picture):
    client = login(analyst)
    assert client.get(_url("derivative_file", picture, "stripped")).status_code == 404
    assert client.get(_url("derivative_file", picture, "original")).status_code == 404


def test_downloading_the_stripped_copy_is_a_custody_entry(analyst, login, picture):
    client = login(analyst)
    assert client.get(_url("stripped_copy", picture)).status_code == 405  # never by GET
    response = client.post(_url("stripped_copy", picture))
    copy = Derivative.objects.get(original=picture.original, kind="stripped")
    body = b"".join(response.streaming_content)
    assert (
        response.status_code == 200
        and 'filename="scene-stripped.jpg"' in response["Content-Disposition"]
    )
    assert body == store().derivative_path(copy.sha256).read_bytes() and b"Canon" not in body
    entry = CustodyEntry.objects.get(item=picture, event="shared")
    assert entry.actor == analyst and entry.detail == {
        "derivative": copy.pk, "sha256": copy.sha256, "original_sha256": picture.original.sha256,
    }  # fmt: skip
    assert custody.problems(picture.custody.order_by("seq")) == []
    audit = AuditEntry.objects.get(action="evidence.custody.shared")
    assert audit.diff["sha256"] == copy.sha256
    page = client.get(_url("item_detail", picture)).content.decode()
    assert "Metadata-stripped copy downloaded for sharing" in page


def test_sharing_is_refused_by_the_action_to_who_may_not(cast, picture):
    for who in ("viewer", "outsider", "coordinator", "loner"):
        with pytest.raises(PermissionDenied):
            share_stripped_copy(getattr(cast, who), picture)
    assert not CustodyEntry.objects.filter(item=picture, event="shared").exists()


def test_an_item_without_stripped_copy_says_so_and_records_nothing(documenter, login, acme):
    item = upload_file(documenter, acme, files.pdf(), filename="r.pdf")
    response = login(documenter).post(_url("stripped_copy", item), follow=True)
    assert "has no metadata-stripped copy" in response.content.decode()
    assert not CustodyEntry.objects.filter(item=item, event="shared").exists()


def test_the_item_page_shows_the_preview_derivatives_and_the_share_button(analyst, login, picture):
    page = login(analyst).get(_url("item_detail", picture)).content.decode()
    assert _url("derivative_file", picture, "preview") in page and "graphic-media" not in page
    assert "Metadata-stripped copy" in page and _url("stripped_copy", picture) in page
    assert "Pillow" in page
    assert _url("item_graphic", picture) not in page  # an analyst may not mark graphic


def test_a_documenter_marks_an_item_graphic_audited_and_it_is_blurred(documenter, login, picture):
    client = login(documenter)
    response = client.post(_url("item_graphic", picture), {"graphic": "1"})
    assert response.status_code == 302 and Item.objects.get(pk=picture.pk).graphic
    assert AuditEntry.objects.get(action="evidence.item.graphic").diff == {"graphic": [False, True]}
    page = client.get(_url("item_detail", picture)).content.decode()
    assert 'class="graphic-media is-blurred media--preview"' in page and "graphic-show" in page
    assert "evidence/graphic.js" in page
    listing = client.get(reverse("evidence:item_list")).content.decode()
    assert 'class="graphic-media is-blurred media--thumb"' in listing
    client.post(_url("item_graphic", picture), {"graphic": "1"})  # unchanged: no new entry
    assert AuditEntry.objects.filter(action="evidence.item.graphic").count() == 1
    client.post(_url("item_graphic", picture), {"graphic": "0"})
    assert not Item.objects.get(pk=picture.pk).graphic
    assert "graphic-media" not in client.get(_url("item_detail", picture)).content.decode()


def test_a_bad_graphic_value_changes_nothing(documenter, login, picture):
    response = login(documenter).post(
        _url("item_graphic", picture), {"graphic": "yes"}, follow=True
    )
    assert "graphic (1) or not (0)" in response.content.decode()
    assert not Item.objects.get(pk=picture.pk).graphic
    assert not AuditEntry.objects.filter(action="evidence.item.graphic").exists()


def test_an_analyst_may_not_mark_an_item_graphic(analyst, admin, login, picture):
    response = login(analyst).post(_url("item_graphic", picture), {"graphic": "1"})
    assert response.status_code == 403 and not Item.objects.get(pk=picture.pk).graphic
    with pytest.raises(PermissionDenied):
        set_graphic(analyst, picture, True)
    assert set_graphic(admin, picture, True).graphic  # an admin may


def test_the_graphic_flag_is_set_at_upload(documenter, bearer, acme):
    client = bearer(documenter)
    data = files.encode(files.picture(71), "PNG")
    meta = metadata_header({"filename": "g.png", "graphic": "1"})
    headers = {**TUS, "Upload-Length": str(len(data)), "Upload-Metadata": meta}
    created = client.post(ENDPOINT, headers=headers)
    assert created.status_code == 201
    done = client.generic(
        "PATCH", created["Location"], data, content_type="application/offset+octet-stream",
        headers={**TUS, "Upload-Offset": "0"},
    )  # fmt: skip
    assert done.status_code == 204
    item = Item.objects.get(original__sha256=done["Evidence-Sha256"])
    assert item.graphic
    assert AuditEntry.objects.get(action="evidence.item.created").diff["graphic"] is True


def test_a_bad_graphic_value_at_upload_is_refused(documenter, bearer):
    meta = metadata_header({"filename": "g.png", "graphic": "maybe"})
    headers = {**TUS, "Upload-Length": "10", "Upload-Metadata": meta}
    response = bearer(documenter).post(ENDPOINT, headers=headers)
    assert response.status_code == 400 and b"graphic" in response.content


def test_the_upload_page_offers_the_graphic_flag(documenter, login):
    page = login(documenter).get(reverse("evidence:upload")).content.decode()
    assert 'id="graphic"' in page


def test_the_api_gives_the_graphic_flag(documenter, analyst, bearer, picture):
    set_graphic(documenter, picture, True)
    response = bearer(analyst, "read").get(f"/api/v1/evidence/items/{picture.pk}")
    assert response.status_code == 200 and response.json()["graphic"] is True
