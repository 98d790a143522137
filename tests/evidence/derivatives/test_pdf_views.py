"""A PDF's pictures on the web and in ``evidence fsck``, on every backend (local, S3, plain and
sealed): served as made to who may view the item (404 to who may not), blurred when the item
is graphic, checked by fsck like every derivative; a PDF of which no picture could be made
still has its page, which says why."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from justicework.evidence.actions import make_derivatives, set_graphic
from justicework.evidence.derivatives.checks import check_derivative
from justicework.evidence.models import Derivative

from ..conftest import upload_file
from ..fsck.test_fsck import run_fsck
from ..stored import overwrite, raw_derivative, sealed
from .test_pdf_pages import text_pdf, with_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(documenter, acme):
    item = upload_file(documenter, acme, text_pdf(), filename="report.pdf")
    assert len(make_derivatives(item.original).made) == 3
    return item


def _url(name, item, *args):
    return reverse(f"evidence:{name}", args=[item.pk, *args])


def _row(item, kind):
    return Derivative.objects.get(original=item.original, kind=kind)


@pytest.mark.parametrize("kind", ["thumbnail", "preview"])
def test_a_pdfs_pictures_are_served_as_made_on_every_backend(backend, analyst, login, kind, acme,
                                                             documenter):  # fmt: skip
    item = upload_file(documenter, acme, text_pdf(), filename="report.pdf")
    make_derivatives(item.original)
    row = _row(item, kind)
    prefix = f"sealed/{acme.pk}/derivatives/" if sealed(backend) else "derivatives/"
    assert row.storage_key.startswith(prefix) and check_derivative(row) == []
    response = login(analyst).get(_url("derivative_file", item, kind))
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert hashlib.sha256(body).hexdigest() == row.sha256


@pytest.mark.parametrize("who", ["viewer", "reviewer", "outsider", "beacon_admin"])
def test_who_may_not_view_the_item_gets_404_for_a_pdfs_pictures(cast, login, report, who):
    client = login(getattr(cast, who))
    for kind in ("thumbnail", "preview"):
        assert client.get(_url("derivative_file", report, kind)).status_code == 404


def test_the_item_page_and_list_show_a_pdfs_pictures(analyst, login, report):
    client = login(analyst)
    page = client.get(_url("item_detail", report)).content.decode()
    assert _url("derivative_file", report, "preview") in page and "pypdfium2+Pillow" in page
    assert "preview-not-made" not in page
    listing = client.get(reverse("evidence:item_list")).content.decode()
    assert _url("derivative_file", report, "thumbnail") in listing


def test_a_graphic_pdfs_pictures_are_blurred_like_images(documenter, login, report):
    set_graphic(documenter, report, True)
    client = login(documenter)
    page = client.get(_url("item_detail", report)).content.decode()
    assert 'class="graphic-media is-blurred media--preview"' in page and "graphic-show" in page
    assert "evidence/graphic.js" in page
    listing = client.get(reverse("evidence:item_list")).content.decode()
    assert 'class="graphic-media is-blurred media--thumb"' in listing


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog", "the file is damaged or not a PDF"),
        (with_password(text_pdf(), "secret"), "the PDF is protected by a password"),
    ],
)
def test_a_pdf_without_pictures_has_its_page_which_says_why(documenter, analyst, login, acme,
                                                            data, reason):  # fmt: skip
    item = upload_file(documenter, acme, data, filename="unreadable.pdf")
    assert make_derivatives(item.original).problem
    response = login(analyst).get(_url("item_detail", item))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="preview-not-made"' in page and f"No preview was made: {reason}" in page
    assert 'id="stripped-not-made"' in page
    assert login(analyst).get(_url("derivative_file", item, "thumbnail")).status_code == 404
    listing = login(analyst).get(reverse("evidence:item_list"))
    assert listing.status_code == 200


def test_fsck_names_a_changed_pdf_thumbnail(backend, documenter, acme):
    item = upload_file(documenter, acme, text_pdf(), filename="report.pdf")
    make_derivatives(item.original)
    assert run_fsck()[0] == 0
    row = _row(item, "thumbnail")
    data = bytearray(raw_derivative(row))
    data[-40] ^= 0xFF
    overwrite(row.storage_key, bytes(data))
    status, out = run_fsck()
    assert status == 1 and f"derivative {row.pk} (thumbnail)" in out
