"""Saved searches of the evidence list and packages made of one (issue 12: "Export a selection
(an incident, a list of items, a saved search) as a package"): private to their owner,
audited, their items found through the list's own query when the package is built."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from justicework.audit.models import AuditEntry
from justicework.evidence.actions.searches import save_search
from justicework.evidence.models import Package, SavedSearch

from ..conftest import upload_file

TEXT = {"media_type": "text/plain"}


def _upload_text_and_png(cast):
    text = upload_file(cast.documenter, cast.acme, b"a note\n" * 20, filename="note.txt")
    png_bytes = b"\x89PNG\r\n\x1a\n" + b"x" * 90
    png = upload_file(cast.documenter, cast.acme, png_bytes, filename="p.png")
    return text, png


@pytest.mark.django_db
def test_a_documenter_saves_the_lists_filters_and_only_they_see_them(login, cast):
    client = login(cast.documenter)
    response = client.post("/evidence/searches/", {"name": " Notes  only ", **TEXT})
    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert (search.name, search.filters, search.owner) == ("Notes only", TEXT, cast.documenter)
    entry = AuditEntry.objects.get(action="evidence.search.saved")
    assert entry.diff["filters"] == TEXT
    assert "Notes only" in client.get("/evidence/items/").content.decode()
    # private: another member of the same organisation neither sees nor uses nor deletes it
    admin = login(cast.admin)
    assert "Notes only" not in admin.get("/evidence/items/").content.decode()
    assert admin.post("/evidence/packages/", {"search": search.pk}).status_code == 404
    assert admin.post(f"/evidence/searches/{search.pk}/delete/").status_code == 404
    assert SavedSearch.objects.filter(pk=search.pk).exists()
    assert not Package.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"name": "x", "sha256": "zz12"}, "SHA-256"),
        ({"name": "x", "media_type": "not a type"}, "Type"),
        ({"name": "", **TEXT}, "Name"),
        ({"name": "y" * 101}, "Name"),
    ],
)
def test_bad_filters_or_names_are_refused_naming_what_is_wrong(data, named, login, cast):
    client = login(cast.documenter)
    response = client.post("/evidence/searches/", data, follow=True)
    assert named in response.content.decode()
    assert not SavedSearch.objects.exists()
    assert not AuditEntry.objects.filter(action="evidence.search.saved").exists()


@pytest.mark.django_db
def test_a_name_is_used_once_per_owner(cast):
    from django.core.exceptions import ValidationError

    save_search(cast.documenter, cast.acme, "Mine", TEXT)
    with pytest.raises(ValidationError, match="already have a saved search"):
        save_search(cast.documenter, cast.acme, "Mine", {})
    save_search(cast.admin, cast.acme, "Mine", {})  # another person's name space
    assert SavedSearch.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["viewer", "reviewer", "loner"])
def test_who_may_not_see_evidence_may_not_save_a_search(who, login, cast):
    response = login(getattr(cast, who)).post("/evidence/searches/", {"name": "x", **TEXT})
    assert response.status_code in (302, 403)
    assert not SavedSearch.objects.exists()


@pytest.mark.django_db
def test_the_cli_packages_what_the_search_finds_when_the_package_is_built(cast, tmp_path):
    save_search(cast.documenter, cast.acme, "Notes", TEXT)
    text, png = _upload_text_and_png(cast)
    later = upload_file(cast.documenter, cast.acme, b"saved before me\n", filename="later.txt")
    out = tmp_path / "p.zip"
    call_command(
        "evidence", "package", "--out", str(out), "--search", "Notes",
        "--as", cast.documenter.email, stdout=io.StringIO(),
    )  # fmt: skip
    with zipfile.ZipFile(out) as archive:
        data = json.loads(archive.read("manifest.json"))
    assert [item["id"] for item in data["items"]] == [text.pk, later.pk]
    assert data["selection"] == {"search": "Notes", "filters": TEXT}
    entry = AuditEntry.objects.get(action="evidence.package")
    assert entry.diff["selection"] == {"search": "Notes", "filters": TEXT}
    assert png.pk not in entry.diff["item_ids"]


@pytest.mark.django_db
@pytest.mark.parametrize("owner", ["admin", None])
def test_the_cli_refuses_a_search_that_is_not_the_actors(owner, cast, tmp_path):
    if owner:
        save_search(getattr(cast, owner), cast.acme, "Theirs", TEXT)
    _upload_text_and_png(cast)
    out = tmp_path / "p.zip"
    with pytest.raises(CommandError, match="no saved search named Theirs"):
        call_command(
            "evidence", "package", "--out", str(out), "--search", "Theirs",
            "--as", cast.documenter.email, stdout=io.StringIO(),
        )  # fmt: skip
    assert not out.exists()


@pytest.mark.django_db
def test_a_search_that_finds_nothing_makes_no_package(cast, tmp_path):
    save_search(cast.documenter, cast.acme, "Videos", {"media_type": "video/mp4"})
    _upload_text_and_png(cast)
    with pytest.raises(CommandError, match="matches the saved search Videos"):
        call_command(
            "evidence", "package", "--out", str(tmp_path / "p.zip"), "--search", "Videos",
            "--as", cast.documenter.email, stdout=io.StringIO(),
        )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_web_packages_a_saved_search(login, cast, tmp_path: Path):
    text, _png = _upload_text_and_png(cast)
    search = save_search(cast.documenter, cast.acme, "Notes", TEXT)
    client = login(cast.documenter)
    assert f'name="search" value="{search.pk}"' in client.get("/evidence/items/").content.decode()
    response = client.post("/evidence/packages/", {"search": search.pk})
    package = Package.objects.get()
    assert response["Location"].endswith(f"/{package.pk}/")
    assert package.status == "ready", package.problem
    assert package.item_ids == [text.pk]
    assert package.selection == {"search": "Notes", "filters": TEXT}
    download = client.get(f"/evidence/packages/{package.pk}/download")
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        data = json.loads(archive.read("manifest.json"))
    assert data["selection"] == {"search": "Notes", "filters": TEXT}
    assert [item["id"] for item in data["items"]] == [text.pk]


@pytest.mark.django_db
def test_the_owner_deletes_a_search_audited(login, cast):
    search = save_search(cast.documenter, cast.acme, "Notes", TEXT)
    login(cast.documenter).post(f"/evidence/searches/{search.pk}/delete/")
    assert not SavedSearch.objects.exists()
    assert AuditEntry.objects.filter(action="evidence.search.deleted").count() == 1
