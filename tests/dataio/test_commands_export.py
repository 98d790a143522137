"""``justicework export KIND``: arguments refused by name before anything is read or audited,
the three formats written to a file or standard output, the organisation taken when the user
has only one, and only what the acting user may see."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from justicework.audit.models import AuditEntry
from justicework.core import actions as core_actions
from justicework.core.roles import Role
from tests.violations.conftest import make_incident, make_violation


@pytest.fixture
def incidents(cast):
    market = make_incident(cast.acme, title="Shelling of the market")
    make_violation(market, description="killed at the stall")
    make_violation(market, description="killed at the bus stop")
    clinic = make_incident(cast.beacon, title="Raid on the clinic", country="CD")
    make_violation(clinic, description="beacon only")
    return market


def run_export(cast, *args: str, who=None, org: str | None = "acme") -> str:
    out = io.StringIO()
    argv = ["export", "violations", "--as", (who or cast.documenter).email, *args]
    if org is not None:
        argv += ["--organisation", getattr(cast, org).slug]
    call_command(*argv, stdout=out)
    return out.getvalue()


def exports() -> int:
    return AuditEntry.objects.filter(action="violations.exported").count()


def test_an_unknown_kind_is_refused_with_the_known_kinds(cast):
    with pytest.raises(CommandError, match=r"Unknown kind 'bananas'; known: .*violations"):
        call_command("export", "bananas", "--as", cast.documenter.email)
    assert exports() == 0


def test_an_unknown_acting_user_is_refused(cast, incidents):
    with pytest.raises(CommandError, match="e-mail address 'x@y\\.test'"):
        call_command("export", "violations", "--as", "x@y.test")
    assert exports() == 0


def test_an_unknown_organisation_is_refused_by_its_short_name(cast, incidents):
    with pytest.raises(CommandError, match="No active organisation with the short name 'atlantis'"):
        call_command(
            "export", "violations", "--as", cast.documenter.email, "--organisation", "atlantis"
        )
    assert exports() == 0


def test_the_format_is_checked_by_the_parser(cast, incidents):
    with pytest.raises(CommandError, match="invalid choice: 'pdf'"):
        run_export(cast, "--format", "pdf")
    assert exports() == 0


def test_xlsx_needs_an_output_file_and_nothing_is_audited_without_one(cast, incidents):
    with pytest.raises(CommandError, match="XLSX is binary: give --output FILE"):
        run_export(cast, "--format", "xlsx")
    assert exports() == 0


@pytest.mark.parametrize("who", ["viewer", "coordinator", "reviewer"])
def test_a_member_without_export_is_refused_and_nothing_is_audited(cast, incidents, who):
    with pytest.raises(CommandError, match=r"^Not allowed: .*exporting"):
        run_export(cast, who=getattr(cast, who))
    assert exports() == 0


def test_csv_goes_to_standard_output_without_the_byte_order_mark(cast, incidents):
    text = run_export(cast)
    assert not text.startswith("\ufeff")
    records = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["description"] for r in records) == [
        "killed at the bus stop",
        "killed at the stall",
    ]
    assert {r["incident_title"] for r in records} == {"Shelling of the market"}
    assert exports() == 1


def test_csv_written_to_a_file_keeps_the_byte_order_mark(cast, incidents, tmp_path):
    out = tmp_path / "v.csv"
    assert run_export(cast, "--output", str(out)) == ""
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())
    records = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(records) == 2


def test_json_to_a_file_holds_one_object_per_row(cast, incidents, tmp_path):
    out = tmp_path / "v.json"
    run_export(cast, "--format", "json", "--output", str(out))
    records = json.loads(out.read_text(encoding="utf-8"))
    assert len(records) == 2
    assert all(r["incident_title"] == "Shelling of the market" for r in records)
    entry = AuditEntry.objects.get(action="violations.exported")
    assert entry.diff == {"format": "json", "filters": {}}
    assert entry.actor_id == cast.documenter.pk and entry.organisation_id == cast.acme.pk


def test_xlsx_to_a_file_has_a_header_row_and_one_row_per_violation(cast, incidents, tmp_path):
    out = tmp_path / "v.xlsx"
    run_export(cast, "--format", "xlsx", "--output", str(out))
    sheet = openpyxl.load_workbook(out, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert "incident_title" in header and "description" in header
    descriptions = sorted(row[header.index("description")] for row in rows[1:])
    assert descriptions == ["killed at the bus stop", "killed at the stall"]


def test_the_only_organisation_a_user_may_export_is_taken_without_organisation(cast, incidents):
    records = json.loads(run_export(cast, "--format", "json", org=None))
    assert len(records) == 2
    assert AuditEntry.objects.get(action="violations.exported").organisation_id == cast.acme.pk


def test_a_user_exporting_from_two_organisations_must_name_one(cast, incidents):
    core_actions.add_member(None, cast.beacon, cast.analyst, Role.LEGAL_ANALYST)
    cast.analyst.forget_memberships()
    with pytest.raises(CommandError) as refused:
        run_export(cast, who=cast.analyst, org=None)
    assert re.search(r"Give --organisation SLUG \(one of: .+, .+\)\.", str(refused.value))
    assert exports() == 0


def test_an_outsider_naming_acme_is_refused(cast, incidents):
    with pytest.raises(CommandError, match=r"^Not allowed: "):
        run_export(cast, who=cast.outsider)
    assert exports() == 0


def test_the_outsider_exports_only_their_own_organisation(cast, incidents):
    records = json.loads(run_export(cast, "--format", "json", who=cast.outsider, org="beacon"))
    assert [r["description"] for r in records] == ["beacon only"]


def test_a_filter_without_a_name_is_refused(cast, incidents):
    with pytest.raises(CommandError, match=re.escape("--filter '=UA': write NAME=VALUE")):
        run_export(cast, "--filter", "=UA")
    assert exports() == 0
