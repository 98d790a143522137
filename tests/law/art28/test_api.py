"""``/api/v1/law/art28``: a case's records per suspect, mode and element; adding, correcting
and removing one; 422 naming the field; refusals; and the person's art. 28 summary."""

from __future__ import annotations

import pytest
from django.test import Client

from justicework.law import actions_cases
from justicework.law.models import CommandElementRecord

from .conftest import add

pytestmark = pytest.mark.django_db
JSON = "application/json"


def body(art28, **fields):
    return {
        "suspect_person_id": art28.commander.pk,
        "mode_id": "28(a)",
        "element": 4,
        "incident_id": art28.incident.pk,
        "bearing": "supports",
        "strength": "moderate",
        **fields,
    }


def test_add_read_correct_and_remove(cast, art28, bearer) -> None:
    client = bearer(cast.analyst, scope="write")
    base = f"/api/v1/law/art28/cases/{art28.case.pk}"
    created = client.post(f"{base}/records", body(art28, note="Reports"), content_type=JSON)
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["link"], out["link_id"], out["suspect_kind"]) == (
        "incident",
        art28.incident.pk,
        "person",
    )
    groups = client.get(base).json()
    assert [(g["suspect_kind"], g["mode_id"]) for g in groups] == [
        ("person", "28(a)"),
        ("person", "28(b)"),
        ("unit", "28(a)"),
        ("unit", "28(b)"),
    ]
    first = groups[0]
    assert first["empty_elements"] == [1, 2, 3, 5, 6]
    assert [len(e["records"]) for e in first["elements"]] == [0, 0, 0, 1, 0, 0]
    url = f"/api/v1/law/art28/records/{out['id']}"
    patched = client.patch(url, {"strength": "strong", "note": None}, content_type=JSON)
    assert patched.status_code == 200 and patched.json()["strength"] == "strong"
    assert patched.json()["note"] == "Reports"
    assert client.delete(url).status_code == 204
    assert not CommandElementRecord.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"element": 9}, "element"),
        ({"mode_id": "30"}, "mode_id"),
        ({"concerns_from": "2023-05-02", "concerns_to": "2023-05-01"}, "concerns_to"),
        ({"item_id": 1}, "violation_id"),
        ({"suspect_unit_id": 1}, "suspect_person_id"),
        ({"bearing": "maybe"}, "bearing"),
    ],
)
def test_bad_input_is_422_naming_the_field(cast, art28, bearer, fields, field) -> None:
    client = bearer(cast.analyst, scope="write")
    response = client.post(
        f"/api/v1/law/art28/cases/{art28.case.pk}/records",
        body(art28, **fields),
        content_type=JSON,
    )
    assert response.status_code == 422, response.content
    assert field in str(response.json())
    assert not CommandElementRecord.objects.exists()


def test_refusals(cast, art28, bearer) -> None:
    rec = add(art28)
    base = f"/api/v1/law/art28/cases/{art28.case.pk}"
    viewer = bearer(cast.viewer, scope="write")
    assert viewer.get(base).status_code == 200
    assert viewer.post(f"{base}/records", body(art28), content_type=JSON).status_code == 403
    assert viewer.delete(f"/api/v1/law/art28/records/{rec.pk}").status_code == 403
    outsider = bearer(cast.outsider, scope="write")
    assert outsider.get(base).status_code == 404
    assert outsider.delete(f"/api/v1/law/art28/records/{rec.pk}").status_code == 404
    assert Client().get(base).status_code == 401
    actions_cases.update_case_file(None, art28.case, restricted=True)
    assert viewer.get(base).status_code == 404  # restricted, not on the team
    assert CommandElementRecord.objects.count() == 1


def test_a_record_on_a_fact_the_caller_may_not_see_is_left_out(cast, art28, bearer) -> None:
    hidden = add(art28, link=art28.secret)
    client = bearer(cast.analyst, scope="write")
    groups = client.get(f"/api/v1/law/art28/cases/{art28.case.pk}").json()
    assert all(not e["records"] for g in groups for e in g["elements"])
    assert client.delete(f"/api/v1/law/art28/records/{hidden.pk}").status_code == 404
    assert CommandElementRecord.objects.count() == 1


def test_the_persons_art28_summary_lists_what_is_recorded(cast, art28, bearer) -> None:
    add(art28, element=3, note="He signed the orders")
    summary = bearer(cast.analyst).get(f"/api/v1/law/command/persons/{art28.commander.pk}/art28")
    recorded = summary.json()["recorded"]
    assert [(g["case_id"], g["mode_id"]) for g in recorded] == [
        (art28.case.pk, "28(a)"),
        (art28.case.pk, "28(b)"),
    ]
    assert recorded[0]["empty_elements"] == [1, 2, 4, 5, 6]
    assert recorded[1]["empty_elements"] == [1, 2, 3, 4, 5]
