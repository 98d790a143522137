"""One query path: the same filters give the same incidents through the web list, the API list,
the export and the facet counts (``queries.search_incidents``), on whichever engine the suite
runs (SQLite here, PostgreSQL in CI's second pass: full text then goes through tsvector)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from justicework.core import actions as core_actions
from justicework.core.models import User
from justicework.dataio import actions as dataio_actions
from justicework.violations import actions, queries, views
from justicework.violations.models import Incident

from .conftest import make_incident, make_unit, make_violation

pytestmark = pytest.mark.django_db

FILTERS: list[dict[str, str]] = [
    {},
    {"q": "market"},
    {"q": "kharkiv"},
    {"country": "UA"},
    {"status": "documented"},
    {"type": "physical_integrity"},
    {"type": "torture", "country": "UA"},
    {"q": "market", "country": "UA", "status": "documented", "type": "torture"},
    {"date_from": "2023-02-01", "date_to": "2023-06-30"},
    {"unit": "PARENT"},
    {"q": "market", "unit": "PARENT"},
]


@pytest.fixture
def data(cast: SimpleNamespace) -> SimpleNamespace:
    """Incidents of Acme that differ in every filtered field, each with at least one act (the
    export lists acts), plus Beacon's and a restricted one the documenter must never get."""
    parent = make_unit(cast.acme, name="Third Brigade")
    child = make_unit(cast.acme, name="Second Battalion", parent=parent)

    def incident(title: str, *, acts: list[str], unit: Any = None, **fields: Any) -> Incident:
        made = make_incident(cast.acme, title=title, **fields)
        for code in acts:
            act = make_violation(made, type=code)
            if unit is not None:
                actions.add_perpetration(None, act, unit=unit, involvement="direct")
        return made

    incident(
        "Shelling of the market",
        acts=["killing_in_attack"],
        country="UA",
        start_date=dt.date(2023, 1, 10),
        status=Incident.Status.DOCUMENTED,
    )
    incident(
        "Market raid",
        acts=["torture", "arbitrary_detention"],
        unit=child,
        country="UA",
        start_date=dt.date(2023, 3, 5),
        status=Incident.Status.DOCUMENTED,
    )
    incident(
        "Detention in Tbilisi",
        acts=["torture"],
        country="GE",
        start_date=dt.date(2023, 5, 1),
        status=Incident.Status.DRAFT,
        locations=[{"place_name": "Kharkiv", "country": "UA"}],
    )
    incident(
        "Checkpoint market beating",
        acts=["injury"],
        unit=parent,
        country="GE",
        start_date=dt.date(2023, 8, 1),
        status=Incident.Status.DOCUMENTED,
    )
    restricted = incident(
        "Market secret",
        acts=["torture"],
        country="UA",
        status=Incident.Status.DOCUMENTED,
        sensitivity=Incident.Sensitivity.RESTRICTED,
    )
    other = make_incident(cast.beacon, title="Beacon market", country="UA")
    make_violation(other, type="torture")
    return SimpleNamespace(parent=parent, restricted=restricted, other=other)  # fmt: skip


def _params(filters: dict[str, str], data: SimpleNamespace) -> dict[str, str]:
    return {k: (str(data.parent.pk) if v == "PARENT" else v) for k, v in filters.items()}


def _web_ids(user: User, params: dict[str, str]) -> list[int]:
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    client = Client()
    client.force_login(user)
    response = client.get(reverse("violations:incident_list"), params)
    assert response.status_code == 200
    ids = [incident.pk for incident in response.context["incidents"]]
    assert response.context["total"] == len(ids)
    return ids


def _api_ids(user: User, params: dict[str, str]) -> list[int]:
    _token, secret = core_actions.create_token(user, name="t", scope="read", expires_in_days=1)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    response = client.get("/api/v1/incidents", {**params, "limit": "200"})
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def _export_ids(user: User, org: Any, params: dict[str, str]) -> set[int]:
    header, rows = dataio_actions.start_export(
        user, org, kind="violations", file_format="json", filters=params
    )
    column = header.index("incident_id")
    return {row[column] for row in rows}


@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none"
)
def test_web_api_export_and_facets_give_the_same_incidents(
    cast: SimpleNamespace,
    data: SimpleNamespace,
    monkeypatch: pytest.MonkeyPatch,
    filters: dict[str, str],
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 500)
    cache.clear()
    params = _params(filters, data)
    user = cast.documenter
    expected = list(
        queries.search_incidents(user, queries.Filters.from_text(params)).values_list(
            "pk", flat=True
        )
    )
    assert _web_ids(user, params) == expected  # newest first
    assert sorted(_api_ids(user, params)) == sorted(expected)
    assert _export_ids(user, cast.acme, params) == set(expected)
    assert queries.facets(user, queries.Filters.from_text(params)).total == len(expected)
    for limit in (1, 2, 50):  # walked from the index when there are words, the same answer
        assert (
            queries.newest_ids(user, queries.Filters.from_text(params), limit) == expected[:limit]
        )
    assert data.restricted.pk not in expected and data.other.pk not in expected


def test_the_filters_find_what_they_should(cast: SimpleNamespace, data: SimpleNamespace) -> None:
    """Not only the same answer three times, but the right one."""

    def titles(**params: str) -> set[str]:
        found = queries.search_incidents(cast.documenter, queries.Filters.from_text(params))
        return set(found.values_list("title", flat=True))

    assert titles(country="UA") == {
        "Shelling of the market",
        "Market raid",
        "Detention in Tbilisi",  # a place in Kharkiv
    }
    assert titles(type="physical_integrity") == {
        "Market raid",
        "Detention in Tbilisi",
        "Checkpoint market beating",
    }
    assert titles(unit=str(data.parent.pk)) == {"Market raid", "Checkpoint market beating"}
    assert titles(q="market", country="UA", status="documented", type="torture") == {"Market raid"}
    assert titles(date_from="2023-02-01", date_to="2023-06-30") == {
        "Market raid",
        "Detention in Tbilisi",
    }


def test_a_superuser_sees_no_records_through_the_query_path(
    cast: SimpleNamespace, data: SimpleNamespace
) -> None:
    assert not queries.search_incidents(cast.superuser, queries.Filters()).exists()
    assert not queries.search_incidents(cast.loner, queries.Filters()).exists()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "Ukraine"}, "country"),
        ({"type": "nonsense"}, "type"),
        ({"status": "lost"}, "status"),
        ({"date_from": "2023-05-01", "date_to": "2023-01-01"}, "date_to"),
        ({"unit": "twelve"}, "unit"),
        ({"date_from": "yesterday"}, "date_from"),
    ],
)
def test_bad_filters_are_refused_by_name(
    cast: SimpleNamespace, params: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        queries.search_incidents(cast.documenter, queries.Filters.from_text(params))
    assert field in caught.value.message_dict


def test_the_export_download_takes_the_list_filters_and_audits_them(
    cast: SimpleNamespace, data: SimpleNamespace
) -> None:
    from justicework.audit.models import AuditEntry

    Authenticator.objects.get_or_create(
        user=cast.documenter, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    client = Client()
    client.force_login(cast.documenter)
    url = reverse("dataio:export_download", args=["violations", "json"])
    response = client.get(url, {"country": "UA", "type": "torture"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert b"Market raid" in body and b"Shelling" not in body and b"Beacon" not in body
    entry = AuditEntry.objects.filter(action="violations.exported").latest("seq")
    assert entry.diff["filters"] == {"country": "UA", "type": "torture"}
    refused = client.get(url, {"status": "lost"})
    assert refused.status_code == 400
    assert b"not a status" in refused.content


def test_an_export_of_another_organisation_is_not_reachable_by_a_filter(
    cast: SimpleNamespace, data: SimpleNamespace
) -> None:
    """The organisation filter cannot widen an export beyond the active organisation."""
    ids = _export_ids(cast.documenter, cast.acme, {"organisation": str(cast.beacon.pk)})
    assert data.other.pk not in ids and ids


def test_the_lists_export_link_carries_its_filters_to_the_downloads(
    cast: SimpleNamespace, data: SimpleNamespace
) -> None:
    Authenticator.objects.get_or_create(
        user=cast.documenter, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    client = Client()
    client.force_login(cast.documenter)
    listing = client.get(reverse("violations:incident_list"), {"country": "UA", "after": "9"})
    links = {label: href for href, label in listing.context["dataio_links"]}
    assert links["Export"] == reverse("dataio:export", args=["violations"]) + "?country=UA"
    page = client.get(links["Export"]).content.decode()
    download = reverse("dataio:export_download", args=["violations", "csv"])
    assert f'href="{download}?country=UA"' in page
    assert "Only the records that match the filters" in page
