"""The importer's fields for what the model has and mappings could not set before: subdivision,
place precision, the incident's external reference, a new victim's gender identity, ethnicity
and status. Each good value is stored through the bulk path; each bad one is a row error naming
row, column and reason, and nothing is written."""

from __future__ import annotations

import csv
import io

import pytest

from justicework.audit.models import AuditEntry
from justicework.dataio import engine
from justicework.dataio import schema as schemas
from justicework.dataio.mapping import MappingError, MappingSpec
from justicework.dataio.mapping_checks import check_mapping
from justicework.violations.models import Incident, Location, Person, Violation

HEADER = ["Row", "Case", "Act", "Country", "Region", "Town", "Lat", "Lon", "Precision", "Ref",
          "Victim", "Gender", "Ethnicity", "Status", "Code"]  # fmt: skip
MAPPING = {
    "fields": {
        "incident_ref": "Row",
        "incident_title": "Case",
        "incident_external_ref": "Ref",
        "type": "Act",
        "country": "Country",
        "subdivision": "Region",
        "place_name": "Town",
        "latitude": "Lat",
        "longitude": "Lon",
        "location_precision": "Precision",
        "victim_name": "Victim",
        "victim_gender_identity": "Gender",
        "victim_ethnicity": "Ethnicity",
        "victim_status": "Status",
        "victim_code": "Code",
    },
    "key": ["Row"],
    "namespace": "new-fields",
}


def row(n, **overrides):
    values = {
        "Row": f"R{n}",
        "Case": f"Killing in Izium {n}",
        "Act": "killing",
        "Country": "UA",
        "Region": "UA-63",
        "Town": "Izium",
        "Lat": "49.2128",
        "Lon": "37.2569",
        "Precision": "exact",
        "Ref": f"CASE-{n}",
        "Victim": f"Victim {n}",
        "Gender": "non-binary",
        "Ethnicity": "Crimean Tatar",
        "Status": "deceased",
        "Code": "",
    }
    values.update(overrides)
    return [values[h] for h in HEADER]


def csv_file(tmp_path, rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    path = tmp_path / "rows.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def commit(cast, path):
    schema = schemas.get("violations")
    spec = MappingSpec.from_dict(MAPPING, schema)
    return engine.commit(schema, cast.documenter, cast.acme, path, "csv", spec)


def test_every_new_field_is_stored_through_the_bulk_path(cast, tmp_path):
    outcome = commit(cast, csv_file(tmp_path, [row(1), row(2, Precision="Town or village")]))
    assert outcome.committed and outcome.created == 2, outcome.sample
    first = Incident.objects.get(external_ref="CASE-1")
    place = Location.objects.get(incident=first)
    assert (place.country, place.subdivision, place.place_name) == ("UA", "UA-63", "Izium")
    assert (place.latitude, place.longitude, place.precision) == (49.2128, 37.2569, "exact")
    assert Location.objects.get(incident__external_ref="CASE-2").precision == "locality"
    victim = Violation.objects.get(incident=first).person_roles.get().person
    assert victim.status == Person.Status.DECEASED
    stored = Person.objects.get(pk=victim.pk)
    assert (stored.gender_identity, stored.ethnicity) == ("non-binary", "Crimean Tatar")
    # The creation entry names the fields set, never their values.
    entry = AuditEntry.objects.filter(action="violations.person.created").latest("seq")
    assert "Crimean Tatar" not in str(entry.diff)
    assert {"ethnicity", "gender_identity"} <= set(entry.diff["identity_fields"])
    assert entry.diff["status"] == "deceased"


def test_a_victim_status_alone_records_a_victim_with_that_status(cast, tmp_path):
    outcome = commit(cast, csv_file(tmp_path, [row(1, Victim="", Gender="", Ethnicity="")]))
    assert outcome.committed, outcome.sample
    (victim,) = Person.objects.filter(organisation=cast.acme)
    assert victim.status == "deceased"


@pytest.mark.parametrize(
    "overrides, column, reason",
    [
        ({"Region": "UA-99"}, "Region", "not an ISO 3166-2 subdivision code"),
        ({"Region": "PL-14"}, "subdivision", "not a subdivision of UA"),
        ({"Country": "", "Lat": "", "Lon": "", "Town": ""}, "subdivision", "needs its country"),
        ({"Precision": "roughly"}, "Precision", "not a known location precision"),
        ({"Ref": "x" * 201}, "Ref", "at most 200"),
        ({"Gender": "g" * 101}, "Gender", "at most 100"),
        ({"Ethnicity": "e" * 101}, "Ethnicity", "at most 100"),
        ({"Status": "dead-ish"}, "Status", "not a known person status"),
        ({"Victim": "", "Code": "P-NOPE"}, "victim_status", "new victim"),
    ],
)
def test_a_bad_value_is_a_row_error_naming_row_and_column_and_writes_nothing(
    cast, tmp_path, overrides, column, reason
):
    path = csv_file(tmp_path, [row(1), row(2, **overrides)])
    schema = schemas.get("violations")
    found = []
    engine.validate(
        schema, cast.acme, path, "csv", MappingSpec.from_dict(MAPPING, schema),
        on_problem=found.append,
    )  # fmt: skip
    assert (3, column) in [(p.row, p.column) for p in found], found
    assert any(reason in p.reason for p in found if (p.row, p.column) == (3, column)), found
    before = (Incident.objects.count(), Person.objects.count(), AuditEntry.objects.count())
    outcome = commit(cast, path)
    assert not outcome.committed
    assert (Incident.objects.count(), Person.objects.count(), AuditEntry.objects.count()) == before


def test_the_mapping_check_lists_bad_constants_of_the_new_fields_all_at_once():
    schema = schemas.get("violations")
    mapping = {
        "fields": {
            **MAPPING["fields"],
            "subdivision": {"value": "XX-1"},
            "location_precision": {"value": "roughly"},
            "victim_status": {"source": "Status", "values": {"killed": "dead-ish"}},
        },
    }
    with pytest.raises(MappingError) as caught:
        check_mapping(mapping, schema)
    problems = caught.value.problems
    assert any("“subdivision”" in p and "XX-1" in p for p in problems), problems
    assert any("“location_precision”" in p for p in problems), problems
    assert any("“victim_status”" in p and "dead-ish" in p for p in problems), problems


def test_place_fields_without_a_country_column_are_refused_when_the_mapping_is_saved():
    schema = schemas.get("violations")
    fields = {k: v for k, v in MAPPING["fields"].items() if k != "country"}
    fields = {k: v for k, v in fields.items() if k not in {"latitude", "longitude", "place_name"}}
    with pytest.raises(MappingError) as caught:
        check_mapping({"fields": fields}, schema)
    problems = " ".join(caught.value.problems)
    assert "“subdivision” is mapped but “country” is not" in problems
    assert "“location_precision” is mapped but “country” is not" in problems


def test_the_builder_offers_allowed_values_and_suggestions_for_the_new_vocabulary_fields():
    fields = schemas.get("violations").field_map()
    assert fields["victim_status"].allowed.match("DECEASED") == "deceased"
    assert fields["victim_status"].allowed.suggest("decesed")[0] == "deceased"
    assert fields["location_precision"].allowed.match("EXACT") == "exact"
    assert "locality" in fields["location_precision"].allowed.suggest("localty")
    for name in ("subdivision", "incident_external_ref", "victim_ethnicity"):
        assert fields[name].allowed is None  # free text or a code checked by its parser
