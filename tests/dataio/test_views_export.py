"""The export page and its downloads: formats, the list's filters carried to the links and
checked by the download, file names, refusals (a kind that cannot be exported, an unknown
format, a bad filter) with nothing audited."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from justicework.audit.models import AuditEntry
from tests.violations.conftest import make_incident, make_violation

from .conftest import KIND


@pytest.fixture
def incidents(cast):
    market = make_incident(cast.acme, title="Shelling of the market", country="UA")
    make_violation(market, description="at the stall")
    gori = make_incident(cast.acme, title="Checkpoint in Gori", country="GE")
    make_violation(gori, description="at the checkpoint")
    return market, gori


def page(kind: str = "violations") -> str:
    return reverse("dataio:export", args=[kind])


def download(fmt: str, kind: str = "violations") -> str:
    return reverse("dataio:export_download", args=[kind, fmt])


def exported() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action__endswith=".exported"))


def test_the_export_page_offers_every_format(login, cast):
    response = login(cast.documenter).get(page())
    assert response.status_code == 200
    for fmt in ("csv", "json", "xlsx"):
        assert download(fmt).encode() in response.content
    assert b"Only the records that match the filters" not in response.content
    assert not exported()  # opening the page is not an export


def test_the_lists_filters_travel_to_every_download_link(login, cast):
    response = login(cast.documenter).get(page(), {"country": "GE"})
    assert b"Only the records that match the filters" in response.content
    for fmt in ("csv", "json", "xlsx"):
        assert f'{download(fmt)}?country=GE"'.encode() in response.content


def test_a_filtered_download_holds_only_the_matching_rows_and_audits_the_filter(
    login, cast, incidents
):
    response = login(cast.documenter).get(download("json"), {"country": "GE"})
    assert response.status_code == 200
    records = json.loads(b"".join(response.streaming_content))
    assert [r["incident_title"] for r in records] == ["Checkpoint in Gori"]
    (entry,) = exported()
    assert entry.diff == {"format": "json", "filters": {"country": "GE"}}
    assert entry.organisation_id == cast.acme.pk


def test_a_csv_download_is_named_for_kind_organisation_and_time_and_never_cached(
    login, cast, incidents
):
    response = login(cast.documenter).get(download("csv"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="violations-{cast.acme.slug}-')
    assert disposition.endswith('.csv"')
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["description"] for r in rows) == ["at the checkpoint", "at the stall"]


def test_an_xlsx_download_is_a_workbook_attachment(login, cast, incidents):
    response = login(cast.documenter).get(download("xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body[:2] == b"PK"  # a zip container
    assert [e.diff["format"] for e in exported()] == ["xlsx"]


@pytest.mark.parametrize("fmt", ["pdf", "CSV", "xls"])
def test_an_unknown_format_is_not_found_and_not_audited(login, cast, incidents, fmt):
    assert login(cast.documenter).get(download(fmt)).status_code == 404
    assert not exported()


def test_an_unknown_kind_is_not_found(login, cast):
    client = login(cast.documenter)
    assert client.get(page("bananas")).status_code == 404
    assert client.get(download("csv", "bananas")).status_code == 404


@pytest.mark.parametrize(
    "query, named",
    [({"date_from": "yesterday"}, b"date_from"), ({"status": "lost"}, b"status")],
)
def test_a_bad_filter_is_a_400_naming_it_and_nothing_is_exported(
    login, cast, incidents, query, named
):
    response = login(cast.documenter).get(download("csv"), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.strip()
    assert not exported()


def test_a_kind_that_is_imported_but_not_exported_has_no_export_page(login, cast, rows_schema):
    client = login(cast.documenter)
    assert client.get(page(KIND)).status_code == 404
    for fmt in ("csv", "json", "xlsx"):
        assert client.get(download(fmt, KIND)).status_code == 404
    assert not exported()


def test_the_export_command_refuses_a_kind_that_cannot_be_exported(cast, rows_schema):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=f"Records of kind '{KIND}' cannot be exported"):
        call_command("export", KIND, "--as", cast.documenter.email)
    assert not exported()


def test_the_outsider_downloads_only_their_own_organisations_rows(login, cast, incidents):
    clinic = make_incident(cast.beacon, title="Raid on the clinic", country="CD")
    make_violation(clinic, description="beacon only")
    response = login(cast.outsider).get(download("json"))
    records = json.loads(b"".join(response.streaming_content))
    assert [r["description"] for r in records] == ["beacon only"]
    assert exported()[0].organisation_id == cast.beacon.pk


def test_a_signed_out_visitor_is_sent_to_log_in_and_nothing_is_exported(client, incidents):
    response = client.get(download("csv"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert not exported()


def test_downloads_answer_get_only(login, cast, incidents):
    assert login(cast.documenter).post(download("csv")).status_code == 405
    assert not exported()
