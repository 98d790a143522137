"""The mapping builder offers the mapping's ``unneutralise`` option: remove the ' that our
exports put before a cell starting with =, +, -, @ (the default), or keep the ' as written.
Saved, shown again, and applied by the import as the JSON option is."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from justicework.dataio import actions
from justicework.dataio import schema as schemas
from justicework.dataio.mapping import MappingSpec, RowMapper
from justicework.dataio.models import ImportRun, Mapping
from justicework.dataio.readers import SourceRow

from .test_mapping_builder import ROWS, csv_bytes, login, picks, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(cast: Any) -> ImportRun:
    return actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="list.csv",
        chunks=[csv_bytes(ROWS)],
    )  # fmt: skip


def test_the_option_is_offered_with_its_help_and_removes_the_guard_by_default(
    client: Client, cast: Any, run: ImportRun
) -> None:
    page = login(client, cast.documenter).get(url(run)).content.decode()
    assert "Cells starting with &#x27; followed by =, +, - or @" in page
    assert "spreadsheets do not run it as a formula" in page
    assert '<option value="1" selected>Remove the &#x27; (files exported from JusticeWork)' in page


def test_keeping_the_guard_is_saved_and_shown_again(
    client: Client, cast: Any, run: ImportRun
) -> None:
    client = login(client, cast.documenter)
    response = client.post(url(run), {**picks(unneutralise="0"), "save": "1"})
    assert response.status_code == 302
    spec = Mapping.objects.get().spec
    assert spec["unneutralise"] is False
    assert MappingSpec.from_dict(spec, schemas.get("violations")).unneutralise is False
    again = client.get(url(run)).content.decode()
    assert '<option value="0" selected>Keep the &#x27; as written</option>' in again


@pytest.mark.parametrize("posted", [{"unneutralise": "1"}, {}])
def test_the_default_stores_no_option(
    client: Client, cast: Any, run: ImportRun, posted: dict[str, str]
) -> None:
    response = login(client, cast.documenter).post(url(run), {**picks(**posted), "save": "1"})
    assert response.status_code == 302
    spec = Mapping.objects.get().spec
    assert "unneutralise" not in spec
    assert MappingSpec.from_dict(spec, schemas.get("violations")).unneutralise is True


@pytest.mark.parametrize(("choice", "read"), [("1", "=HYPERLINK(x)"), ("0", "'=HYPERLINK(x)")])
def test_the_import_reads_a_guarded_cell_as_the_choice_says(
    client: Client, cast: Any, run: ImportRun, choice: str, read: str
) -> None:
    login(client, cast.documenter).post(url(run), {**picks(unneutralise=choice), "save": "1"})
    spec = MappingSpec.from_dict(Mapping.objects.get().spec, schemas.get("violations"))
    mapper = RowMapper(spec, schemas.get("violations"))
    row = SourceRow(number=1, values={"Headline": "'=HYPERLINK(x)"})
    assert mapper.cell(row, "Headline") == read
