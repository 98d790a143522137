"""The 360Giving JSON and CSV: every grant has the standard's required fields in the shapes its
schema gives, and the CSV's columns are the standard's column titles.

The required fields and types below are written from the 360Giving Data Standard's schema
(``360-giving-schema.json``: a grant requires id, title, description, currency, amountAwarded,
awardDate, recipientOrganization and fundingOrganization; an Organization requires id and name;
amounts are numbers; dates YYYY-MM-DD or date-time; recipient and funder lists have at least one
item) and its spreadsheet titles (``360-giving-schema-titles.csv``); nothing is downloaded."""

from __future__ import annotations

import csv
import io
import json
import re
from types import SimpleNamespace
from typing import Any

import pytest

from justicework.grants import exports_360
from justicework.grants.publication import published_awards
from tests.grants.publication.conftest import make_award

pytestmark = pytest.mark.django_db

REQUIRED = {
    "id": str,
    "title": str,
    "description": str,
    "currency": str,
    "amountAwarded": (int, float),
    "awardDate": str,
    "recipientOrganization": list,
    "fundingOrganization": list,
}
ORGANISATION_REQUIRED = ("id", "name")
DATE = re.compile(r"^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
#: the standard's column titles of the grants sheet (its full list, in its order)
STANDARD_TITLES = [
    "Identifier", "Title", "Description", "Currency", "Amount Applied For", "Amount Awarded",
    "Amount Disbursed", "Award Date", "URL", "Planned Dates:Start Date", "Planned Dates:End Date",
    "Planned Dates:Duration (months)", "Recipient Org:Identifier", "Recipient Org:Name",
    "Recipient Org:Charity Number", "Recipient Org:Company Number",
    "Recipient Org:Street Address", "Recipient Org:City", "Recipient Org:Country",
    "Recipient Org:Postal Code", "Recipient Org:Description", "Recipient Org:Web Address",
    "Beneficiary Location:Name", "Beneficiary Location:Country Code",
    "Beneficiary Location:Latitude", "Beneficiary Location:Longitude",
    "Beneficiary Location:Geographic Code", "Beneficiary Location:Geographic Code Type",
    "Funding Org:Identifier", "Funding Org:Name", "Funding Org:Department",
    "Grant Programme:Code", "Grant Programme:Title", "Grant Programme:URL",
    "From an open call?", "Related Activity", "Last modified", "Data Source",
]  # fmt: skip


def problems(grant: dict[str, Any]) -> list[str]:
    """What a grant lacks or gets wrong against the standard's required fields (empty: valid)."""
    found = []
    for name, kind in REQUIRED.items():
        if name not in grant:
            found.append(f"{name}: missing")
        elif not isinstance(grant[name], kind) or isinstance(grant[name], bool):
            found.append(f"{name}: not {kind}")
    for name in ("recipientOrganization", "fundingOrganization"):
        organisations = grant.get(name) or []
        if len(organisations) < 1:
            found.append(f"{name}: needs one organisation")
        for org in organisations:
            found += [f"{name}.{f}: missing" for f in ORGANISATION_REQUIRED if not org.get(f)]
    awarded = str(grant.get("awardDate"))
    if not (DATE.match(awarded) or DATE_TIME.match(awarded)):
        found.append("awardDate: not a date")
    if len(str(grant.get("currency"))) != 3:
        found.append("currency: not ISO 4217")
    for event in grant.get("plannedDates", []):
        found += [f"plannedDates.{k}: not a date" for k, v in event.items() if not DATE.match(v)]
    return found


def test_the_check_catches_what_the_standard_refuses() -> None:
    assert problems({}) and "id: missing" in problems({})
    bad = {
        "id": "x", "title": "t", "description": "d", "currency": "EUR",
        "amountAwarded": "100", "awardDate": "14/02/2025",
        "recipientOrganization": [{"id": "x"}], "fundingOrganization": [],
    }  # fmt: skip
    assert set(problems(bad)) == {
        "amountAwarded: not (<class 'int'>, <class 'float'>)",
        "awardDate: not a date",
        "recipientOrganization.name: missing",
        "fundingOrganization: needs one organisation",
    }


def test_every_published_grant_meets_the_required_fields(world: SimpleNamespace) -> None:
    package = json.loads(json.dumps(exports_360.package(published_awards())))
    assert set(package) == {"grants"}
    assert len(package["grants"]) == 4
    for grant in package["grants"]:
        assert problems(grant) == [], grant


def test_a_grant_says_what_the_award_says(world: SimpleNamespace) -> None:
    award = world.awards.kyiv
    grant = exports_360.grant(award)
    assert grant["amountAwarded"] == 40000 and grant["currency"] == "EUR"
    assert grant["awardDate"] == "2025-02-14"
    assert grant["description"] == award.purpose
    assert grant["recipientOrganization"] == [
        {"id": "UA-EDR-12345678", "name": "Kharkiv Women's Voices", "addressCountry": "Ukraine"}
    ]
    assert grant["fundingOrganization"] == [
        {"id": f"360G-acme-{world.programme.organisation.slug}", "name": "Acme Rights Watch"}
    ]
    assert grant["plannedDates"] == [{"startDate": "2025-03-01", "endDate": "2026-02-28"}]
    assert grant["grantProgramme"][0]["code"] == "FSTP-2025-1"


def test_amounts_with_cents_stay_numbers(world: SimpleNamespace) -> None:
    award = make_award(world.calls.decided, world.applicants.goma.entity, "12500.50")
    assert exports_360.grant(award)["amountAwarded"] == 12500.5


def test_an_award_without_dates_has_no_planned_dates(world: SimpleNamespace) -> None:
    award = make_award(
        world.calls.decided, world.applicants.goma.entity, "1000", start_date=None, end_date=None
    )
    grant = exports_360.grant(award)
    assert "plannedDates" not in grant and problems(grant) == []


def test_csv_columns_are_the_standards_titles_and_rows_match_the_json(
    world: SimpleNamespace,
) -> None:
    awards = list(published_awards())
    rows = list(csv.reader(io.StringIO(exports_360.as_csv(awards))))
    header, body = rows[0], rows[1:]
    assert set(header) <= set(STANDARD_TITLES)
    assert {"Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date",
            "Recipient Org:Identifier", "Recipient Org:Name", "Funding Org:Identifier",
            "Funding Org:Name"} <= set(header)  # fmt: skip
    # in the standard's order
    assert header == sorted(header, key=STANDARD_TITLES.index)
    grants = exports_360.package(awards)["grants"]
    assert [r[header.index("Identifier")] for r in body] == [g["id"] for g in grants]
    assert [r[header.index("Amount Awarded")] for r in body] == [
        str(g["amountAwarded"]) for g in grants
    ]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(world: SimpleNamespace) -> None:
    award = make_award(world.calls.decided, world.applicants.goma.entity, purpose="=HYPERLINK(1)")
    text = exports_360.as_csv([award])
    assert "'=HYPERLINK(1)" in text
