"""The matrix as XLSX: opened and checked; who may download it."""

from __future__ import annotations

import io

import openpyxl

from justicework.audit.models import AuditEntry
from justicework.law import actions_cases as actions


def _matrix(records) -> str:  # type: ignore[no-untyped-def]
    charge = actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")
    actions.add_matrix_entry(
        None, charge, part="crime", element=1, link=records.violation,
        bearing="supports", strength="strong", note="three witnesses",
    )  # fmt: skip
    return f"/law/cases/{records.case.pk}/matrix.xlsx"


def test_analyst_downloads_the_matrix(records, cast, login) -> None:
    url = _matrix(records)
    response = login(cast.analyst).get(url)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Crime" and rows[0][-1] == "Facts and evidence"
    first = rows[1]
    assert first[:5] == ("7(1)(a)", first[1], "25(3)(c)", "crime", 1)
    assert first[7] == "strong" and first[8] == "no"
    assert f"violation #{records.violation.pk}" in first[10]
    assert first[10].endswith(": three witnesses")
    assert all(row[8] == "yes" for row in rows[2:])  # nothing else is supported
    assert AuditEntry.objects.filter(action="law.matrix.exported").count() == 1


def test_viewer_and_outsider_cannot_download(records, cast, login) -> None:
    url = _matrix(records)
    assert login(cast.viewer).get(url).status_code == 403  # reads, but exports nothing
    assert login(cast.outsider).get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="law.matrix.exported").exists()
