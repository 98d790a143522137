"""A violation's description makes its incident findable (issue 11): on both engines, widened
as other words are, kept current by the violation actions, written by the importer from memory
(no query per row), rebuilt by ``search_reindex`` in a constant number of queries, and never
found by someone who may not read the incident."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from justicework import search
from justicework.dataio import engine
from justicework.dataio import schema as schemas
from justicework.dataio.mapping import MappingSpec
from justicework.violations import actions
from justicework.violations.indexing import incident_text, reindex_incidents
from justicework.violations.models import Incident, Violation
from justicework.violations.queries import Filters, search_incidents

from .conftest import make_incident, make_violation

pytestmark = pytest.mark.django_db


def found(user: Any, text: str) -> set[int]:
    return {incident.pk for incident in search_incidents(user, Filters(q=text))}


def test_a_word_of_a_violations_description_finds_its_incident(cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme, title="Checkpoint", description="")
    make_violation(incident, description="The victim was unarmed and walking home.")
    other = make_incident(cast.acme, title="Market", description="")
    make_violation(other, description="Shelling at noon.")
    assert found(cast.documenter, "unarmed") == {incident.pk}
    assert found(cast.documenter, "unarm") == {incident.pk}  # a word's start finds it
    assert found(cast.documenter, "walked") == {incident.pk}  # a stem finds it (walk*)
    assert found(cast.documenter, '"unarmed and walking"') == {incident.pk}
    assert found(cast.documenter, "unarmed checkpoint") == {incident.pk}  # with the title
    assert found(cast.documenter, "unarmed market") == set()


def test_descriptions_in_other_scripts_are_found_by_their_word_starts(
    cast: SimpleNamespace,
) -> None:
    incident = make_incident(cast.acme, title="Checkpoint", description="")
    make_violation(incident, description="Затримання без пояснення причин")
    arabic = make_incident(cast.acme, title="Market", description="")
    make_violation(arabic, description="أطلقوا النار على المدينة")
    assert found(cast.documenter, "затриман") == {incident.pk}
    assert found(cast.documenter, "مدينة") == {arabic.pk}


def test_each_distinct_description_is_indexed_once(cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme, title="Checkpoint", description="")
    for description in ("Unarmed.", "Unarmed.", "", "Shot twice."):
        make_violation(incident, description=description)
    text = incident_text(Incident.objects.get(pk=incident.pk))
    assert text.count("Unarmed.") == 1 and "Shot twice." in text
    assert text.index("Unarmed.") < text.index("Shot twice.")  # the order recorded


def test_editing_or_removing_a_violation_reindexes_its_incident(cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme, title="Checkpoint", description="")
    violation = make_violation(incident, description="The victim was unarmed.")
    actions.update_violation(cast.documenter, violation, description="Shot from a vehicle.")
    assert found(cast.documenter, "unarmed") == set()
    assert found(cast.documenter, "vehicle") == {incident.pk}
    second = make_violation(incident, description="Beaten while unarmed.")
    assert found(cast.documenter, "unarmed") == {incident.pk}
    actions.remove_violation(cast.admin, second)
    assert found(cast.documenter, "unarmed") == set()
    assert found(cast.documenter, "vehicle") == {incident.pk}


def test_a_restricted_incident_is_not_found_by_its_violations_words_without_access(
    cast: SimpleNamespace,
) -> None:
    hidden = make_incident(cast.acme, title="Checkpoint", sensitivity="restricted")
    make_violation(hidden, description="Unarmed teenager detained.")
    assert found(cast.admin, "teenager") == {hidden.pk}  # admins see restricted incidents
    assert found(cast.documenter, "teenager") == set()
    assert found(cast.viewer, "teenager") == set()


def test_another_organisation_never_finds_the_incident(cast: SimpleNamespace) -> None:
    incident = make_incident(cast.acme, title="Checkpoint")
    make_violation(incident, description="Unarmed teenager detained.")
    assert found(cast.documenter, "teenager") == {incident.pk}
    assert found(cast.outsider, "teenager") == set()


# --- The importer ------------------------------------------------------------------------------

HEADER = ["Row", "Case", "Act", "When", "What"]
MAPPING = {
    "fields": {
        "incident_ref": "Row",
        "incident_title": "Case",
        "country": {"value": "UA"},
        "type": "Act",
        "date": "When",
        "description": "What",
    },
    "key": ["Row"],
    "namespace": "event-list",
}


def _commit(
    cast: SimpleNamespace, tmp_path: Any, rows: list[list[str]], name: str, **extra: Any
) -> Any:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    spec = MappingSpec.from_dict({**MAPPING, **extra}, schemas.get("violations"))
    outcome = engine.commit(
        schemas.get("violations"), cast.documenter, cast.acme, path, "csv", spec
    )
    assert outcome.committed, outcome.sample
    return outcome


def _rows(start: int, count: int) -> list[list[str]]:
    return [
        [f"E{n}", f"Killing {n}", "killing", "2021-06-01", f"Victim {n} was unarmed, word{n}."]
        for n in range(start, start + count)
    ]


def _description_reads(queries: list[dict[str, Any]]) -> list[str]:
    """The queries that read violations' descriptions back."""
    column = f'"{Violation._meta.db_table}"."description"'
    return [
        q["sql"] for q in queries if q["sql"].lstrip().startswith("SELECT") and column in q["sql"]
    ]


def test_an_import_indexes_descriptions_with_no_query_per_row(
    cast: SimpleNamespace, tmp_path: Any
) -> None:
    _commit(cast, tmp_path, _rows(1, 1), "warm.csv")  # caches, the namespace, the key
    with CaptureQueriesContext(connection) as small:
        _commit(cast, tmp_path, _rows(10, 3), "small.csv")
    with CaptureQueriesContext(connection) as large:
        _commit(cast, tmp_path, _rows(100, 12), "large.csv")
    assert len(large.captured_queries) == len(small.captured_queries)
    # New incidents are indexed from what the writer holds: no violation is read back.
    assert _description_reads(large.captured_queries) == []
    assert len(found(cast.documenter, "unarmed")) == 16
    [incident] = Incident.objects.filter(title="Killing 105")
    assert found(cast.documenter, "word105") == {incident.pk}


def test_an_import_indexes_as_a_reindex_would(cast: SimpleNamespace, tmp_path: Any) -> None:
    _commit(cast, tmp_path, _rows(1, 3), "first.csv", key=["Row", "Act"])
    # An incident of the first import gets another act (a reindex, not a new document).
    later = [["E1", "Killing 1", "torture", "2021-06-01", "Beaten first."], *_rows(4, 1)]
    _commit(cast, tmp_path, later, "later.csv", key=["Row", "Act"])
    incidents = list(Incident.objects.order_by("pk"))
    imported = {incident.pk: incident_text(incident) for incident in incidents}
    assert "Beaten first." in imported[incidents[0].pk]
    before = _documents(incidents)
    reindex_incidents([incident.pk for incident in incidents])
    assert _documents(incidents) == before


def _documents(incidents: list[Incident]) -> dict[int, str]:
    from justicework.search.registry import registration_for

    registration = registration_for(Incident)
    column = "text" if connection.vendor == "sqlite" else "vector::text"
    documents = {}
    with connection.cursor() as cursor:
        for incident in incidents:
            rowid = registration.rowid(incident.pk)
            cursor.execute(f"SELECT {column} FROM search_document WHERE rowid = %s", [rowid])  # noqa: S608  # constant column
            documents[incident.pk] = cursor.fetchone()[0]
    return documents


# --- search_reindex ----------------------------------------------------------------------------


def _emptied_then_rebuilt() -> int:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_document")
    with CaptureQueriesContext(connection) as rebuilt:
        call_command("search_reindex", "violations.incident", stdout=io.StringIO())
    return len(rebuilt.captured_queries)


def _incident_with_violations(cast: SimpleNamespace, n: int) -> Incident:
    incident = make_incident(
        cast.acme, title=f"Raid {n}", locations=[{"place_name": "Kharkiv", "subdivision": "UA-63"}]
    )
    make_violation(incident, description=f"Unarmed victim {n}.")
    make_violation(incident, type="torture", description=f"Beaten {n}.")
    return incident


def test_search_reindex_restores_violation_descriptions_in_constant_queries(
    cast: SimpleNamespace,
) -> None:
    first = _incident_with_violations(cast, 1)
    few = _emptied_then_rebuilt()
    assert found(cast.documenter, "unarmed") == {first.pk}
    more = [_incident_with_violations(cast, n) for n in range(2, 12)]
    assert _emptied_then_rebuilt() == few
    assert found(cast.documenter, "unarmed") == {first.pk, *(i.pk for i in more)}
    assert found(cast.documenter, "beaten kharkiv") == {first.pk, *(i.pk for i in more)}


def test_search_reindex_writes_what_the_actions_wrote(cast: SimpleNamespace) -> None:
    incidents = [_incident_with_violations(cast, n) for n in range(3)]
    written = _documents(incidents)
    _emptied_then_rebuilt()
    assert _documents(incidents) == written
    assert search.filter_queryset(Incident.objects.all(), "beaten").count() == 3
