"""The export's columns: incident reference, external reference, status, units, the place
(subdivision, machine-readable coordinates); identities only under need-to-know; the list's
search and filters carried from the list page to the downloaded file; queries per export do not
grow with its rows."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from justicework.dataio import actions as dataio_actions
from justicework.violations import actions, queries
from justicework.violations.import_origin import origin_token
from justicework.violations.io_export import EXPORT_COLUMNS, fuzzy_iso
from tests.web.conftest import login as login  # the signed-in client fixture

from .conftest import make_incident, make_person, make_unit, make_violation


@pytest.fixture
def records(cast):
    incident = make_incident(
        cast.acme, title="Killing at the checkpoint", external_ref="CASE-7",
        locations=[{"place_name": "Izium", "subdivision": "UA-63", "latitude": 49.2128,
                    "longitude": 0.00001, "precision": "exact"}],
    )  # fmt: skip
    place = incident.locations.get()
    victim = make_person(cast.acme, full_name="Olena Kovalenko", ethnicity="Crimean Tatar")
    killing = make_violation(incident, type="killing", victim=victim, location=place)
    precinct = make_unit(cast.acme, name="Third Police Precinct", kind="police")
    brigade = make_unit(cast.acme, name="3rd Brigade", kind="armed_forces")
    actions.add_perpetration(None, killing, involvement="direct", unit=precinct)
    actions.add_perpetration(None, killing, involvement="ordered", unit=brigade)
    actions.change_incident_status(None, incident, "documented")
    return {"incident": incident, "victim": victim, "precinct": precinct}


def exported(user, organisation, filters=None):
    header, rows = dataio_actions.start_export(
        user, organisation, kind="violations", file_format="json", filters=filters
    )
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_export_names_incident_status_place_units_and_origin(cast, records):
    (row,) = exported(cast.analyst, cast.acme)
    incident = records["incident"]
    incident.refresh_from_db()
    assert row["incident_ref"] == f"#{incident.pk}"
    assert row["incident_external_ref"] == "CASE-7"
    assert row["incident_status"] == incident.status == "documented"
    assert (row["country"], row["subdivision"], row["place_name"]) == ("UA", "UA-63", "Izium")
    assert (row["latitude"], row["longitude"]) == ("49.2128", "0.00001")  # full stop, no exponent
    assert row["location_precision"] == "exact"
    assert row["type"] == "killing"
    assert row["perpetrator_unit_ref"] == f"{origin_token(cast.acme)}/{records['precinct'].pk}"
    assert (row["perpetrator_unit_name"], row["perpetrator_unit_kind"]) == (
        "Third Police Precinct", "police")  # fmt: skip
    assert row["perpetrator_involvement"] == "direct"
    assert row["perpetrator_units"] == "Third Police Precinct; 3rd Brigade"
    assert row["export_origin"] == origin_token(cast.acme)
    assert list(row) == list(EXPORT_COLUMNS)


def test_identity_columns_are_redacted_without_need_to_know_and_open_with_it(cast, records):
    (closed,) = exported(cast.documenter, cast.acme)
    assert closed["victim_name"] == closed["victim_ethnicity"] == "[redacted]"
    assert closed["victim_status"] == "unknown"  # not an identity field
    actions.grant_need_to_know(None, cast.documenter, records["victim"], reason="Case work")
    (opened,) = exported(cast.documenter, cast.acme)
    assert (opened["victim_name"], opened["victim_ethnicity"]) == (
        "Olena Kovalenko", "Crimean Tatar")  # fmt: skip
    assert opened["victim_sex"] == opened["victim_gender_identity"] == ""


def test_the_origin_differs_between_organisations(cast):
    assert origin_token(cast.acme) != origin_token(cast.beacon)
    assert re.fullmatch(r"jw-[0-9a-f]{20}", origin_token(cast.acme))


@pytest.mark.parametrize(
    "day, precision, text",
    [
        (dt.date(2024, 1, 1), "year", "2024"),
        (dt.date(2024, 3, 1), "month", "2024-03"),
        (dt.date(2024, 3, 2), "day", "2024-03-02"),
        (None, "unknown", ""),
    ],
)
def test_a_start_date_is_written_as_the_importer_reads_its_precision(day, precision, text):
    assert fuzzy_iso(day, precision) == text


def test_export_queries_do_not_grow_with_rows(cast, records):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            exported(cast.analyst, cast.acme)
        return len(captured)

    count()  # the user's memberships and grants are read once, then remembered
    few = count()
    for n in range(5):
        extra = make_incident(cast.acme, title=f"Raid {n}")
        victim = make_person(cast.acme, full_name=f"Person {n}")
        violation = make_violation(extra, victim=victim, location=None)
        actions.add_perpetration(None, violation, involvement="direct", unit=records["precinct"])
    assert count() == few


def test_the_download_from_the_list_page_holds_what_the_list_shows(login, cast, records):
    """The list's search and filters go to the export link, its page and the file."""
    other = make_incident(cast.acme, title="Shelling of the market")
    make_violation(other, type="killing_in_attack", description="at the stall")
    make_violation(make_incident(cast.acme, title="Checkpoint killing in Gori", country="GE"),
                   type="killing")  # fmt: skip
    client = login(cast.documenter)
    listed = client.get(reverse("violations:incident_list"), {"q": "checkpoint", "country": "UA"})
    export_page = reverse("dataio:export", args=["violations"])
    link = re.search(rf'href="({re.escape(export_page)}\?[^"]+)"', listed.content.decode())
    assert link, "the list offers no export link with its filters"
    page = client.get(link.group(1).replace("&amp;", "&"))
    download = reverse("dataio:export_download", args=["violations", "json"])
    href = re.search(rf'href="({re.escape(download)}[^"]*)"', page.content.decode()).group(1)
    response = client.get(href.replace("&amp;", "&"))
    rows = json.loads(b"".join(response.streaming_content))
    chosen = queries.Filters.from_text({"q": "checkpoint", "country": "UA"})
    chosen.organisation = cast.acme.pk
    shown = set(queries.search_incidents(cast.documenter, chosen).values_list("pk", flat=True))
    assert {r["incident_id"] for r in rows} == shown == {records["incident"].pk}


def test_an_act_without_its_own_place_is_exported_at_its_incidents_first_place(cast):
    incident = make_incident(
        cast.acme, locations=[{"place_name": "Bucha", "subdivision": "UA-32"},
                              {"place_name": "Irpin"}],
    )  # fmt: skip
    make_violation(incident, location=None)
    (row,) = exported(cast.analyst, cast.acme)
    assert (row["place_name"], row["subdivision"]) == ("Bucha", "UA-32")
