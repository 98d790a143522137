"""The provenance part of an item's page: metadata, findings, time zone, the place on the map,
near-duplicates only among items the reader may see; extraction after intake (the task) and by
the command."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from justicework.evidence.actions import extract_provenance
from justicework.evidence.models import Provenance

from ..conftest import upload_file
from . import files

pytestmark = pytest.mark.django_db


def page(client, item) -> str:
    response = client.get(reverse("evidence:item_detail", args=[item.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_metadata_place_and_the_unknown_zone(analyst, documenter, acme, login):
    data = files.jpeg_with_exif(
        files.picture(11), make="Canon", taken="2024:05:01 14:03:22", gps=(48.8584, -2.2945)
    )
    item = upload_file(documenter, acme, data, filename="p.jpg")
    extract_provenance(item.original)
    html = page(login(analyst), item)
    assert "Canon" in html and "2024-05-01 14:03:22" in html and "time zone unknown" in html
    assert "48.858400, -2.294500" in html
    points = json.loads(re.search(r'id="incident-map-points"[^>]*>(.*?)</script>', html).group(1))
    assert points[0]["lat"] == pytest.approx(48.8584) and points[0]["lng"] == pytest.approx(-2.2945)
    assert "leaflet.js" in html
    assert "No near-duplicate among the items you may see." in html


def test_before_extraction_the_page_says_so_and_loads_no_map(analyst, documenter, acme, login):
    item = upload_file(documenter, acme, b"words", filename="t.txt")
    html = page(login(analyst), item)
    assert "has not been read yet" in html and "leaflet.js" not in html


def test_a_corrupt_file_shows_its_finding(analyst, documenter, acme, login):
    item = upload_file(documenter, acme, files.pdf()[:300], filename="r.pdf")
    extract_provenance(item.original)
    assert "could not be read as this type" in page(login(analyst), item)


def _near_pair(documenter, organisation_user, acme, other_org):
    image = files.picture(21)
    mine = upload_file(documenter, acme, files.encode(image, "PNG"), filename="mine.png")
    copy = upload_file(organisation_user, other_org, files.encode(image, "JPEG", quality=50),
                       filename="copy-elsewhere.jpg")  # fmt: skip
    extract_provenance(mine.original)
    extract_provenance(copy.original)
    return mine, copy


def test_near_duplicates_in_the_organisation_are_listed_with_distances(
    analyst, documenter, acme, login
):
    mine, copy = _near_pair(documenter, documenter, acme, acme)
    far = upload_file(documenter, acme, files.encode(files.picture(99), "PNG"), filename="far.png")
    extract_provenance(far.original)
    html = page(login(analyst), mine)
    assert "copy-elsewhere.jpg" in html and reverse("evidence:item_detail", args=[copy.pk]) in html
    assert "far.png" not in html


def test_near_duplicates_of_another_organisation_are_never_shown(
    analyst, documenter, outsider, acme, beacon, login
):
    mine, copy = _near_pair(documenter, outsider, acme, beacon)
    html = page(login(analyst), mine)
    assert "copy-elsewhere.jpg" not in html
    assert "No near-duplicate among the items you may see." in html
    # and the other organisation's page of the copy is not open to acme's analyst
    response = login(analyst).get(reverse("evidence:item_detail", args=[copy.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["outsider", "viewer", "officer", "reviewer", "loner"])
def test_the_provenance_is_behind_the_item_view_rule(cast, documenter, acme, login, who):
    data = files.jpeg_with_exif(files.picture(12), make="SecretCam", gps=(1.0, 2.0))
    item = upload_file(documenter, acme, data, filename="p.jpg")
    extract_provenance(item.original)
    response = login(getattr(cast, who)).get(reverse("evidence:item_detail", args=[item.pk]))
    assert response.status_code == 404 and b"SecretCam" not in response.content


def test_intake_enqueues_extraction_after_commit(
    documenter, acme, django_capture_on_commit_callbacks
):
    data = files.encode(files.picture(13), "PNG")
    with django_capture_on_commit_callbacks(execute=True):
        item = upload_file(documenter, acme, data, filename="p.png")
    row = Provenance.objects.get(original=item.original)
    assert row.kind == "image" and row.phash is not None


def test_the_command_extracts_missing_then_one_item_again(documenter, acme, capsys):
    first = upload_file(documenter, acme, files.wav(), filename="a.wav")
    second = upload_file(documenter, acme, files.pdf()[:200], filename="r.pdf")
    call_command("evidence", "extract")
    out = capsys.readouterr().out
    assert "2 original(s) read." in out and "pdf findings: unreadable" in out
    call_command("evidence", "extract")
    assert "0 original(s) read." in capsys.readouterr().out
    call_command("evidence", "extract", "--item", str(first.pk))
    assert "1 original(s) read." in capsys.readouterr().out
    assert Provenance.objects.filter(original__in=[first.original, second.original]).count() == 2


def test_the_command_refuses_a_missing_item(db):
    with pytest.raises(CommandError, match="no evidence item 424242"):
        call_command("evidence", "extract", "--item", "424242")
