"""``/api/v1/law/cases``: allow and deny for analyst, documenter, viewer, another organisation."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client

from justicework.law import actions_cases as actions
from justicework.law.models import CaseFile, MatrixEntry

URL = "/api/v1/law/cases"


def _charge(records: SimpleNamespace):  # type: ignore[no-untyped-def]
    return actions.add_charge(None, records.case, crime_id="7(1)(a)", mode_id="25(3)(c)")


def test_analyst_creates_a_case(cast, bearer: Callable[..., Client]) -> None:
    body = {"organisation_id": cast.acme.pk, "title": "Kharkiv", "country": "UA"}
    response = bearer(cast.analyst, "write").post(URL, body, content_type="application/json")
    assert response.status_code == 201, response.content
    case = CaseFile.objects.get(pk=response.json()["id"])
    assert list(case.team.all()) == [cast.analyst]


def test_documenter_and_outsider_cannot_create(cast, bearer: Callable[..., Client]) -> None:
    body = {"organisation_id": cast.acme.pk, "title": "Kharkiv", "country": "UA"}
    for user in (cast.documenter, cast.viewer, cast.outsider):
        response = bearer(user, "write").post(URL, body, content_type="application/json")
        assert response.status_code == 404, user
    assert not CaseFile.objects.exists()


def test_bad_country_is_a_422_naming_it(cast, bearer: Callable[..., Client]) -> None:
    body = {"organisation_id": cast.acme.pk, "title": "K", "country": "ZZ"}
    response = bearer(cast.analyst, "write").post(URL, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "country"]


def test_lists_follow_the_policy(records, cast, bearer: Callable[..., Client]) -> None:
    assert [c["id"] for c in bearer(cast.viewer).get(URL).json()] == [records.case.pk]
    assert [c["id"] for c in bearer(cast.outsider).get(URL).json()] == [records.other_case.pk]
    assert bearer(cast.outsider).get(f"{URL}/{records.case.pk}").status_code == 404
    assert bearer(cast.outsider).get(f"{URL}/{records.case.pk}/matrix").status_code == 404
    assert bearer(cast.outsider).get(f"{URL}/{records.case.pk}/gaps").status_code == 404


def test_viewer_cannot_see_a_restricted_case(records, cast, bearer) -> None:
    actions.update_case_file(None, records.case, restricted=True)
    assert bearer(cast.viewer).get(f"{URL}/{records.case.pk}").status_code == 404
    assert bearer(cast.analyst).get(f"{URL}/{records.case.pk}").status_code == 200


def test_charge_and_entry_by_analyst(records, cast, bearer: Callable[..., Client]) -> None:
    client = bearer(cast.analyst, "write")
    response = client.post(
        f"{URL}/{records.case.pk}/charges",
        {"crime_id": "7(1)(a)", "mode_id": "25(3)(c)"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    charge_id = response.json()["id"]
    entry = {"part": "crime", "element": 1, "bearing": "supports", "strength": "strong"}
    response = client.post(
        f"{URL}/charges/{charge_id}/entries",
        entry | {"violation_id": records.violation.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    matrix = client.get(f"{URL}/{records.case.pk}/matrix").json()
    cell = matrix[0]["cells"][0]
    assert (cell["strength"], cell["gap"]) == ("strong", False)
    assert cell["entries"][0]["link_id"] == records.violation.pk
    gaps = client.get(f"{URL}/{records.case.pk}/gaps").json()
    assert gaps and all(g["kinds"] for g in gaps)
    assert (charge_id, "crime", 1) not in {(g["charge_id"], g["part"], g["number"]) for g in gaps}


def test_documenter_cannot_add_charges_or_entries(records, cast, bearer) -> None:
    client = bearer(cast.documenter, "write")
    response = client.post(
        f"{URL}/{records.case.pk}/charges",
        {"crime_id": "7(1)(a)", "mode_id": "25(3)(c)"},
        content_type="application/json",
    )
    assert response.status_code == 403
    charge = _charge(records)
    body = {"part": "crime", "element": 1, "bearing": "supports", "strength": "strong"}
    response = client.post(
        f"{URL}/charges/{charge.pk}/entries",
        body | {"violation_id": records.violation.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not MatrixEntry.objects.exists()


def test_entry_needs_exactly_one_record(records, cast, bearer) -> None:
    charge = _charge(records)
    body = {"part": "crime", "element": 1, "bearing": "supports", "strength": "strong"}
    response = bearer(cast.analyst, "write").post(
        f"{URL}/charges/{charge.pk}/entries",
        body | {"violation_id": records.violation.pk, "incident_id": records.incident.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    response = bearer(cast.analyst, "write").post(
        f"{URL}/charges/{charge.pk}/entries",
        body | {"violation_id": records.other_violation.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not MatrixEntry.objects.exists()


def _entry(records: SimpleNamespace, **fields: object) -> MatrixEntry:
    fields = {"bearing": "supports", "strength": "weak", "note": "One witness"} | fields
    return actions.add_matrix_entry(
        None, _charge(records), part="crime", element=1, link=records.violation, **fields
    )  # type: ignore[arg-type]  # the test's fields are the action's


def test_analyst_patches_an_entry(records, cast, bearer: Callable[..., Client]) -> None:
    entry = _entry(records)
    response = bearer(cast.analyst, "write").patch(
        f"{URL}/entries/{entry.pk}", {"strength": "strong"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["strength"], body["bearing"]) == ("strong", "supports")
    assert body["note"] == "One witness"
    assert (body["link"], body["link_id"]) == ("violation", records.violation.pk)
    assert MatrixEntry.objects.get().strength == "strong"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"strength": "overwhelming"}, "strength"),
        ({"bearing": None, "strength": "strong"}, "bearing"),
        ({"note": "x" * 5001}, "note"),
    ],
)
def test_bad_patch_is_a_422_naming_the_field(records, cast, bearer, body, field) -> None:
    entry = _entry(records)
    response = bearer(cast.analyst, "write").patch(
        f"{URL}/entries/{entry.pk}", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert field in [d["loc"][-1] for d in response.json()["detail"]]
    stored = MatrixEntry.objects.get()
    assert (stored.strength, stored.bearing, stored.note) == ("weak", "supports", "One witness")


def test_who_may_not_change_the_case_cannot_patch(records, cast, bearer) -> None:
    entry = _entry(records)
    for user, status in [(cast.viewer, 403), (cast.documenter, 403), (cast.outsider, 404)]:
        response = bearer(user, "write").patch(
            f"{URL}/entries/{entry.pk}", {"strength": "strong"}, content_type="application/json"
        )
        assert response.status_code == status, user
    anonymous = Client().patch(
        f"{URL}/entries/{entry.pk}", {"strength": "strong"}, content_type="application/json"
    )
    assert anonymous.status_code == 401
    assert MatrixEntry.objects.get().strength == "weak"
