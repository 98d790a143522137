"""`justicework import violations FILE --link ROW=TARGET`: decisions on likely duplicates from
the command line, taken all or none, honoured by the commit."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from justicework.dataio import actions as dataio_actions
from justicework.dataio.models import ImportRun
from justicework.violations import actions
from justicework.violations.models import ImportDuplicateDecision, Person, Violation

from .conftest import make_person
from .test_import import MAPPING, csv_file
from .test_import_decisions import BORN, _rows, _victims

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(cast):
    person = make_person(cast.acme, full_name="Олена Коваленко", date_of_birth=BORN)
    actions.grant_need_to_know(None, cast.documenter, person, reason="Check the import")
    return person


@pytest.fixture
def saved(cast):
    return dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip


def _import(cast, path, *extra):
    out = io.StringIO()
    call_command(
        "import", "violations", str(path), "--organisation", cast.acme.slug,
        "--as", cast.documenter.email, "--mapping", "Survey", *extra,
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    return out.getvalue()


def test_links_on_the_command_line_are_honoured(cast, tmp_path, saved, stored):
    path = csv_file(tmp_path, _rows())
    decisions = tmp_path / "decisions.txt"
    decisions.write_text("# row=target\n4=row:3\n", encoding="utf-8")
    text = _import(cast, path, "--link", f"2={stored.code}", "--decisions", str(decisions))
    assert "2 duplicate decisions" in text
    victims = _victims()
    assert victims["row 2"] == stored and victims["row 4"] == victims["row 3"]
    assert Person.objects.count() == 1 + 2
    assert ImportRun.objects.get().status == ImportRun.Status.COMMITTED


def test_a_refused_link_names_its_row_and_nothing_is_written(cast, tmp_path, saved, stored):
    path = csv_file(tmp_path, _rows())
    with pytest.raises(CommandError) as caught:
        _import(cast, path, "--link", f"2={stored.code}", "--link", f"5={stored.code}")
    message = str(caught.value)
    assert "row 5: Row 5 has no likely duplicate to decide." in message
    assert "nothing was written" in message
    assert not ImportDuplicateDecision.objects.exists()
    assert Person.objects.count() == 1 and not Violation.objects.exists()


@pytest.mark.parametrize("pair", ["2", "x=P-AAAAA", "2="])
def test_a_malformed_link_is_refused(cast, tmp_path, saved, pair):
    with pytest.raises(CommandError, match="write ROW=CODE"):
        _import(cast, csv_file(tmp_path, _rows()), "--link", pair)


def test_links_are_refused_with_a_dry_run(cast, tmp_path, saved, stored):
    with pytest.raises(CommandError, match="run --dry-run without them"):
        _import(cast, csv_file(tmp_path, _rows()), "--dry-run", "--link", f"2={stored.code}")
