"""Mappings that ship with the app (``justicework-export``): valid, added to an organisation's
saved mappings from the import page or by name on the command line, audited, refused to those
who may not import."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.dataio import actions
from justicework.dataio import schema as schemas
from justicework.dataio.mapping_checks import check_mapping
from justicework.dataio.models import Mapping
from justicework.violations.io_export import EXPORT_COLUMNS
from tests.violations.conftest import make_incident, make_violation

NAME = "justicework-export"


def test_the_shipped_mapping_passes_every_check_and_reads_only_export_columns():
    schema = schemas.get("violations")
    spec = check_mapping(
        actions.shipped_mapping_spec("violations", NAME), schema, columns=list(EXPORT_COLUMNS)
    )
    assert set(spec.source_columns()) <= set(EXPORT_COLUMNS)
    assert spec.key == ("export_origin", "violation_id")
    assert spec.namespace == NAME


def test_a_documenter_adds_the_shipped_mapping_from_the_import_page(login, cast):
    client = login(cast.documenter)
    index = client.get(reverse("dataio:index", args=["violations"]))
    assert NAME.encode() in index.content
    response = client.post(reverse("dataio:mapping_install", args=["violations"]), {"name": NAME})
    assert response.status_code == 302
    mapping = Mapping.objects.get(organisation=cast.acme, kind="violations", name=NAME)
    assert mapping.spec["namespace"] == NAME
    entry = AuditEntry.objects.filter(action="dataio.mapping.created").get()
    assert entry.actor_id == cast.documenter.pk
    # Now one of the choices of the upload form.
    index = client.get(reverse("dataio:index", args=["violations"]))
    assert f'<option value="{mapping.pk}">{NAME}</option>'.encode() in index.content


def test_adding_it_again_restores_the_shipped_version(cast):
    mapping = actions.install_shipped_mapping(cast.documenter, cast.acme, kind="violations",
                                              name=NAME)  # fmt: skip
    edited = {**mapping.spec, "namespace": "changed"}
    actions.save_mapping(cast.documenter, cast.acme, kind="violations", name=NAME,
                         file_format="csv", spec=edited)  # fmt: skip
    again = actions.install_shipped_mapping(cast.documenter, cast.acme, kind="violations",
                                            name=NAME)  # fmt: skip
    assert again.pk == mapping.pk and again.spec["namespace"] == NAME


@pytest.mark.parametrize("who", ["viewer", "analyst", "outsider", "loner"])
def test_who_may_not_import_into_acme_cannot_add_a_shipped_mapping(login, cast, who):
    response = login(getattr(cast, who)).post(
        reverse("dataio:mapping_install", args=["violations"]), {"name": NAME}
    )
    assert response.status_code in {302, 404}
    assert not Mapping.objects.filter(organisation=cast.acme).exists()
    created = AuditEntry.objects.filter(action="dataio.mapping.created")
    assert not created.filter(organisation_id=cast.acme.pk).exists()


def test_an_unknown_shipped_name_is_refused_and_nothing_saved(login, cast):
    client = login(cast.documenter)
    response = client.post(
        reverse("dataio:mapping_install", args=["violations"]), {"name": "nope"}, follow=True
    )
    assert b"No mapping named nope ships with the app." in response.content
    assert not Mapping.objects.exists()
    with pytest.raises(ValidationError):
        actions.install_shipped_mapping(cast.documenter, cast.acme, kind="violations",
                                        name="nope")  # fmt: skip


def test_the_command_line_takes_the_shipped_mapping_by_name_only_for_importers(cast, tmp_path):
    make_violation(make_incident(cast.beacon, title="Raid on the clinic", country="CD"))
    path = tmp_path / "beacon.csv"
    call_command("export", "violations", "--organisation", cast.beacon.slug, "--as",
                 cast.outsider.email, "--format", "csv", "--output", str(path))  # fmt: skip
    args = ["import", "violations", str(path), "--organisation", cast.acme.slug,
            "--mapping", NAME, "--dry-run"]  # fmt: skip
    with pytest.raises((CommandError, SystemExit)):
        call_command(*args, "--as", cast.viewer.email, stdout=io.StringIO(),
                     stderr=io.StringIO())  # fmt: skip
    assert not Mapping.objects.exists()
    out = io.StringIO()
    call_command(*args, "--as", cast.documenter.email, stdout=out, stderr=io.StringIO())
    assert "1 rows, 1 valid" in out.getvalue(), out.getvalue()
    assert Mapping.objects.filter(organisation=cast.acme, name=NAME).count() == 1
