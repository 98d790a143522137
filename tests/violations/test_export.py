"""Exporting violations: only what the user may see, identities redacted without need-to-know,
formula cells neutralised, audited; export → import round trip."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from justicework.audit.models import AuditEntry
from justicework.dataio import actions as dataio_actions
from justicework.dataio import engine
from justicework.dataio import schema as schemas
from justicework.dataio.mapping import MappingSpec
from justicework.violations import actions
from justicework.violations.models import Incident, Violation

from .conftest import make_incident, make_person, make_violation


@pytest.fixture
def data(cast):
    incident = make_incident(cast.acme, title='=HYPERLINK("http://evil")')
    secret = make_person(cast.acme, full_name="Secret Victim")
    granted = make_person(cast.acme, full_name="Granted Victim")
    make_violation(incident, victim=secret, description="+cmd|' /C calc'!A0")
    make_violation(incident, victim=granted, description="@SUM(1)")
    make_violation(incident, description="-2+3")
    other = make_incident(cast.beacon, title="Beacon only", country="CD")
    make_violation(other, description="beacon")
    actions.grant_need_to_know(None, cast.documenter, granted, reason="Case work")
    return {"secret": secret, "granted": granted}


def export_rows(user, org, fmt="csv"):
    header, rows = dataio_actions.start_export(user, org, kind="violations", file_format=fmt)
    return header, list(rows)


def test_export_has_only_acmes_rows_and_redacts_identities_without_a_grant(cast, data):
    header, rows = export_rows(cast.documenter, cast.acme)
    records = [dict(zip(header, r, strict=True)) for r in rows]
    assert len(records) == 3
    assert {r["incident_title"] for r in records} == {'=HYPERLINK("http://evil")'}
    names = {r["victim_code"]: r["victim_name"] for r in records if r["victim_code"]}
    assert names[data["secret"].code] == "[redacted]"
    assert names[data["granted"].code] == "Granted Victim"


def test_analyst_without_grants_sees_every_identity_redacted(cast, data):
    header, rows = export_rows(cast.analyst, cast.acme)
    names = [dict(zip(header, r, strict=True))["victim_name"] for r in rows]
    assert sorted(names) == ["", "[redacted]", "[redacted]"]


@pytest.mark.parametrize("who", ["viewer", "outsider", "coordinator", "loner"])
def test_users_without_export_in_acme_cannot_export_it(cast, data, who):
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        export_rows(getattr(cast, who), cast.acme)
    assert AuditEntry.objects.count() == before


def test_an_export_is_audited_as_a_sensitive_read(cast, data):
    export_rows(cast.documenter, cast.acme, "json")
    entry = AuditEntry.objects.filter(action="violations.exported").get()
    assert entry.actor_id == cast.documenter.pk
    assert entry.organisation_id == cast.acme.pk
    assert entry.diff["format"] == "json"


def test_csv_export_neutralises_formula_cells(cast, data, tmp_path):
    out = tmp_path / "v.csv"
    call_command("export", "violations", "--organisation", cast.acme.slug, "--as",
                 cast.documenter.email, "--format", "csv", "--output", str(out))  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["incident_title"] for r in rows} == {'\'=HYPERLINK("http://evil")'}
    assert {r["description"] for r in rows} == {"'+cmd|' /C calc'!A0", "'@SUM(1)", "'-2+3"}
    for record in rows:
        for value in record.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_xlsx_export_neutralises_formula_cells(cast, data, tmp_path):
    out = tmp_path / "v.xlsx"
    call_command("export", "violations", "--organisation", cast.acme.slug, "--as",
                 cast.documenter.email, "--format", "xlsx", "--output", str(out))  # fmt: skip
    sheet = openpyxl.load_workbook(out, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4
    for cells in rows:
        for cell in cells:
            assert not (isinstance(cell, str) and cell.startswith(("=", "+", "-", "@")))
    assert '\'=HYPERLINK("http://evil")' in rows[1]


def test_json_export_keeps_values_and_redacts(cast, data):
    out = io.StringIO()
    call_command("export", "violations", "--organisation", cast.acme.slug, "--as",
                 cast.analyst.email, "--format", "json", stdout=out)  # fmt: skip
    records = json.loads(out.getvalue())
    assert len(records) == 3
    assert "Secret Victim" not in out.getvalue() and "Granted Victim" not in out.getvalue()
    assert {r["description"] for r in records} == {"+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"}


def test_outsider_export_command_is_refused(cast, data):
    with pytest.raises(CommandError, match="Not allowed"):
        call_command("export", "violations", "--organisation", cast.acme.slug, "--as",
                     cast.outsider.email, stdout=io.StringIO())  # fmt: skip


def test_csv_export_then_import_preserves_values(cast, data, tmp_path):
    out = tmp_path / "v.csv"
    call_command("export", "violations", "--organisation", cast.acme.slug, "--as",
                 cast.documenter.email, "--format", "csv", "--output", str(out))  # fmt: skip
    spec = MappingSpec.from_dict(
        {
            "fields": {
                "incident_ref": "incident_id",
                "incident_title": "incident_title",
                "country": "country",
                "type": "type",
                "description": "description",
                "date": "date",
            },
            "key": ["violation_id"],
            "namespace": "round-trip",
        },
        schemas.get("violations"),
    )
    with pytest.raises(PermissionDenied):  # the documenter is not a member of beacon
        engine.commit(schemas.get("violations"), cast.documenter, cast.beacon, out, "csv", spec)
    outcome = engine.commit(schemas.get("violations"), cast.documenter, cast.acme, out, "csv",
                            spec)  # fmt: skip
    assert outcome.committed and outcome.created == 3, outcome.sample
    copied = Incident.objects.exclude(pk=data["secret"].roles.get().violation.incident_id).filter(
        organisation=cast.acme
    )
    assert [i.title for i in copied] == ['=HYPERLINK("http://evil")']
    assert sorted(Violation.objects.filter(incident__in=copied).values_list(
        "description", flat=True)) == sorted(["+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"])  # fmt: skip


def _cli_export(cast, *filters):
    out = io.StringIO()
    args = ["export", "violations", "--organisation", cast.acme.slug, "--as"]
    args += [cast.documenter.email, "--format", "json"]
    for given in filters:
        args += ["--filter", given]
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_the_export_command_takes_the_lists_filters_and_audits_them(cast, data):
    georgia = make_incident(cast.acme, title="Checkpoint in Gori", country="GE")
    make_violation(georgia, description="detained at the checkpoint")
    records = _cli_export(cast, "country=GE")
    assert [r["incident_title"] for r in records] == ["Checkpoint in Gori"]
    entry = AuditEntry.objects.filter(action="violations.exported").latest("seq")
    assert entry.diff["filters"] == {"country": "GE"}
    assert len(_cli_export(cast)) == 4


@pytest.mark.parametrize(
    "given, reason",
    [
        ("colour=red", "Unknown filter(s) colour; violations takes: country"),
        ("date_from=yesterday", "Bad filter: date_from"),
        ("status=lost", "Bad filter: status"),
        ("country", "write NAME=VALUE"),
    ],
)
def test_a_bad_export_filter_is_refused_by_name_and_nothing_is_exported(cast, data, given, reason):
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError, match=re.escape(reason)):
        _cli_export(cast, given)
    assert AuditEntry.objects.count() == before
