"""The dry run flags likely duplicate persons, within the file and against stored persons,
naming the matched fields and disclosing a stored person's code only to who may open it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.dataio import actions as dataio_actions
from justicework.violations import actions
from justicework.violations.models import ImportDuplicate, Person

from .conftest import make_person
from .test_import import MAPPING, csv_file, row
from .test_import_views import login

pytestmark = pytest.mark.django_db

BORN = dt.date(1990, 2, 1)  # "01/02/1990" in the file's day-first format


@pytest.fixture
def stored(cast):
    return make_person(cast.acme, full_name="Олена Коваленко", date_of_birth=BORN)


def _rows():
    return [
        row(1, Victim="Olena Kovalenko"),  # file row 2: the stored person (transliterated)
        row(2, Victim="Kovalenko Olena Ivanivna"),  # row 3: same, patronymic, swapped order
        row(3, Victim="Olena Kovalenko", Born="05/06/1971", Age="52"),  # row 4: name only
        row(4, Victim="Petro Shevchenko", Born="", Age="40"),  # row 5
        row(5, Victim="Shevchenko Petro Jr.", Born="", Age="41"),  # row 6: age one year apart
    ]


def _start(cast, tmp_path):
    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip
    run = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="v.csv",
        chunks=[csv_file(tmp_path, _rows()).read_bytes()], mapping=mapping,
    )  # fmt: skip
    return run


def _dry_run(cast, tmp_path):
    return dataio_actions.dry_run(cast.documenter, _start(cast, tmp_path))


def test_the_dry_run_stores_flags_with_rows_persons_and_fields_only(cast, tmp_path, stored):
    run = _start(cast, tmp_path)
    audit_before = AuditEntry.objects.count()
    run = dataio_actions.dry_run(cast.documenter, run)
    flags = set(ImportDuplicate.objects.values_list("row", "other_row", "person_id", "fields"))
    assert flags == {
        (2, None, stored.pk, "date_of_birth,name"),
        (3, 2, None, "age,date_of_birth,name"),
        (3, None, stored.pk, "date_of_birth,name"),
        (6, 5, None, "age,name"),
    }
    assert run.status == "valid"  # flags are notes, not errors
    assert Person.objects.count() == 1 and AuditEntry.objects.count() == audit_before


def test_the_run_page_gives_the_code_only_to_who_may_open_the_identity(
    client, cast, tmp_path, stored
):
    run = _dry_run(cast, tmp_path)
    login(client, cast.documenter)
    page = client.get(reverse("dataio:run", args=[run.pk])).content.decode()
    assert "Likely duplicate persons" in page
    assert "Row 3 may be the same person as row 2 (matched: age, date of birth, name)." in page
    assert "Row 6 may be the same person as row 5 (matched: age, name)." in page
    assert stored.code not in page and "ask for need-to-know" in page
    assert "Olena" not in page.split("Likely duplicate persons")[1]
    actions.grant_need_to_know(None, cast.documenter, stored, reason="Check the import")
    page = client.get(reverse("dataio:run", args=[run.pk])).content.decode()
    assert f"Row 2 may be the stored person {stored.code}" in page


def test_the_command_line_dry_run_prints_the_flags(cast, tmp_path, stored):
    dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip
    path = csv_file(tmp_path, _rows())
    out = io.StringIO()
    call_command(
        "import", "violations", str(path), "--organisation", cast.acme.slug,
        "--as", cast.documenter.email, "--mapping", "Survey", "--dry-run",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    text = out.getvalue()
    assert "Row 3 may be the same person as row 2 (matched: age, date of birth, name)." in text
    assert "Row 2 may be a person already stored (matched: date of birth, name)" in text
    assert stored.code not in text
    assert "4 likely duplicate persons" in text


def test_a_name_shared_by_many_rows_stays_bounded(cast):
    from justicework.dataio.schema import ParsedRow
    from justicework.violations.import_duplicates import BUCKET, PER_ROW, DuplicateFinder

    finder = DuplicateFinder(cast.acme, b"k" * 32)
    values = {"victim_name": "Olena Kovalenko", "victim_date_of_birth": BORN, "victim_age": 33}
    rows = [ParsedRow(n, f"{n:064x}", dict(values)) for n in range(2, 2 + 3 * BUCKET)]
    flags = finder.flags(rows)
    assert max(len(bucket) for bucket in finder.index.values()) == BUCKET
    assert all(sum(f.row == r.number for f in flags) <= PER_ROW for r in rows)
    assert {f.fields for f in flags} == {("age", "date_of_birth", "name")}
