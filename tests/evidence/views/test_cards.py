from __future__ import annotations

from django.urls import reverse

from ..conftest import upload_file


def test_the_dashboard_card_lists_the_latest_items_and_offers_upload(documenter, acme, login):
    upload_file(documenter, acme, b"card bytes", filename="card-file.txt")
    page = login(documenter).get(reverse("web:dashboard")).content.decode()
    assert "card-file.txt" in page and reverse("evidence:upload") in page


def test_no_card_for_who_may_not_open_evidence(viewer, documenter, acme, login):
    upload_file(documenter, acme, b"card bytes", filename="card-file.txt")
    page = login(viewer).get(reverse("web:dashboard")).content.decode()
    assert "card-file.txt" not in page and reverse("evidence:upload") not in page
