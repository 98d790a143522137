"""``/api/v1/law/command/…``: the chain, the art. 28 summary and the pattern counts; who may
read them (``record.view`` in the record's organisation) and bad input (422 naming the field)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client

from justicework.core.models import Organisation

from .conftest import CHANGE
from .test_art28 import attack

pytestmark = pytest.mark.django_db
API = "/api/v1/law/command"
Bearer = Callable[..., Client]


def urls(forces: SimpleNamespace) -> list[str]:
    return [
        f"{API}/units/{forces.company.pk}/chain?date=2023-04-01",
        f"{API}/persons/{forces.new.pk}/chain",
        f"{API}/persons/{forces.new.pk}/art28",
        f"{API}/units/{forces.brigade.pk}/pattern",
    ]


@pytest.mark.parametrize("who", ["admin", "analyst", "documenter", "viewer"])
def test_readers_of_records_get_every_answer(
    who: str, forces: SimpleNamespace, cast: SimpleNamespace, bearer: Bearer
) -> None:
    client = bearer(getattr(cast, who))
    for url in urls(forces):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["officer", "reviewer", "outsider", "beacon_admin"])
def test_others_get_404(
    who: str, forces: SimpleNamespace, cast: SimpleNamespace, bearer: Bearer
) -> None:
    client = bearer(getattr(cast, who))
    for url in urls(forces):
        assert client.get(url).status_code == 404, url


def test_unit_chain_across_the_change(
    forces: SimpleNamespace, cast: SimpleNamespace, bearer: Bearer
) -> None:
    client = bearer(cast.analyst)
    url = f"{API}/units/{forces.company.pk}/chain"
    before = client.get(url, {"date": (CHANGE - dt.timedelta(days=1)).isoformat()}).json()
    on = client.get(url, {"date": CHANGE.isoformat()}).json()
    assert [lv["unit_name"] for lv in on["levels"]] == [
        "1st Brigade",
        "2nd Battalion",
        "3rd Company",
    ]
    assert [c["person_code"] for c in before["levels"][1]["commanders"]] == [forces.old.code]
    assert [c["person_code"] for c in on["levels"][1]["commanders"]] == [forces.new.code]
    assert on["levels"][2]["state"] == "not_recorded"
    assert on["levels"][1]["commanders"][0]["covers"] == "yes"


def test_person_chain_and_art28(
    forces: SimpleNamespace, acme: Organisation, cast: SimpleNamespace, bearer: Bearer
) -> None:
    attack(acme, CHANGE, forces.company, "Shelling")
    client = bearer(cast.viewer)
    chain = client.get(f"{API}/persons/{forces.new.pk}/chain", {"date": "2023-04-02"}).json()
    assert [c["unit_id"] for c in chain["commands"]] == [forces.battalion.pk]
    summary = client.get(f"{API}/persons/{forces.new.pk}/art28").json()
    assert summary["mode"] == "28(a)"
    (incident,) = summary["incidents"]
    assert incident["units"] == [forces.company.pk]
    assert [e["nothing_recorded"] for e in incident["elements"]] == [False, True, True, True]
    assert "full_name" not in str(summary)


def test_pattern_counts(
    forces: SimpleNamespace, acme: Organisation, cast: SimpleNamespace, bearer: Bearer
) -> None:
    attack(acme, dt.date(2023, 1, 5), forces.company, "A")
    attack(acme, dt.date(2023, 3, 5), forces.battalion, "B")
    answer = bearer(cast.analyst).get(f"{API}/units/{forces.brigade.pk}/pattern").json()
    assert answer["months"] == ["2023-01", "2023-02", "2023-03"]
    assert answer["totals"] == {"2023-01": 1, "2023-03": 1}
    assert {(c["unit_id"], c["month"]) for c in answer["cells"]} == {
        (forces.company.pk, "2023-01"),
        (forces.battalion.pk, "2023-03"),
    }


def test_bad_input_is_422_naming_the_field(
    forces: SimpleNamespace, cast: SimpleNamespace, bearer: Bearer
) -> None:
    client = bearer(cast.analyst)
    bad = client.get(f"{API}/units/{forces.company.pk}/chain", {"date": "yesterday"})
    assert bad.status_code == 422 and "date" in str(bad.json()["detail"][0]["loc"])
    period = client.get(
        f"{API}/units/{forces.brigade.pk}/pattern", {"start": "2023-05-01", "end": "2023-01-01"}
    )
    assert period.status_code == 422
    assert "end" in str(period.json()["detail"][0]["loc"])
