"""Disaggregated survivor counts: one grouped query, "unknown" for files without data,
small-cell suppression (and the second cell hidden with a lone one), the statistics form
and action (allow and deny), the page and the dashboard card (allow and deny)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from justicework.audit.models import AuditEntry
from justicework.core.models import Organisation, User
from justicework.survivors import actions, disaggregation
from justicework.survivors.models import SurvivorFile, SurvivorStatistics
from justicework.survivors.views.statistics import survivors_card
from tests.survivors.retention_helpers import old_file, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        if user.requires_mfa:
            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
        client.force_login(user)
        return client

    return _login


def survivors(acme: Organisation, coordinator: User, n: int, **stats: str) -> list[SurvivorFile]:
    files = [old_file(acme, coordinator, days=1) for _ in range(n)]
    for file in files:
        if stats:
            actions.record_statistics(coordinator, file, **stats)
    return files


def cell(result: disaggregation.Breakdown, field: str, value: str) -> int | None:
    (dimension,) = [d for d in result.dimensions if d.field == field]
    (found,) = [c for c in dimension.cells if c.value == value]
    return found.count


def test_counts_come_from_one_grouped_query_whatever_the_number_of_files(
    coordinator: User, acme: Organisation
) -> None:
    survivors(acme, coordinator, 6, sex="female", age_group_then="12-17", age_group_now="18-25")
    survivors(acme, coordinator, 5, sex="male", gender_identity="prefer_not")
    survivors(acme, coordinator, 2)
    files = SurvivorFile.objects.filter(organisation=acme)
    with CaptureQueriesContext(connection) as queries:
        result = disaggregation.breakdown(files, threshold=1)
    assert len(queries.captured_queries) == 1
    assert result.total == 13
    assert cell(result, "sex", "female") == 6 and cell(result, "sex", "male") == 5
    assert cell(result, "sex", "unknown") == 2
    assert cell(result, "gender_identity", "prefer_not") == 5
    assert cell(result, "gender_identity", "unknown") == 8
    assert cell(result, "age_group_then", "12-17") == 6
    assert cell(result, "age_group_now", "18-25") == 6
    assert cell(result, "sex", "intersex") == 0


def test_small_cells_are_suppressed_and_a_lone_one_takes_another_with_it(
    coordinator: User, acme: Organisation
) -> None:
    survivors(acme, coordinator, 7, sex="female")
    survivors(acme, coordinator, 6, sex="male")
    survivors(acme, coordinator, 1, sex="intersex")
    result = disaggregation.breakdown(SurvivorFile.objects.all(), threshold=5)
    assert cell(result, "sex", "intersex") is None
    # the total (14) minus the others would give the lone hidden cell away
    assert cell(result, "sex", "male") is None
    assert cell(result, "sex", "female") == 7
    assert cell(result, "sex", "unknown") == 0
    assert cell(result, "gender_identity", "unknown") == 14


def test_the_threshold_comes_from_the_setting(
    coordinator: User, acme: Organisation, settings: object
) -> None:
    survivors(acme, coordinator, 3, sex="female")
    settings.SURVIVORS_MIN_CELL = 3  # type: ignore[attr-defined]  # pytest-django settings
    assert cell(disaggregation.breakdown(SurvivorFile.objects.all()), "sex", "female") == 3
    settings.SURVIVORS_MIN_CELL = 4  # type: ignore[attr-defined]  # pytest-django settings
    assert cell(disaggregation.breakdown(SurvivorFile.objects.all()), "sex", "female") is None


def test_statistics_survive_anonymisation(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    (file,) = survivors(acme, coordinator, 1, sex="female", age_group_then="12-17")
    SurvivorFile.objects.filter(pk=file.pk).update(opened_at=file.opened_at.replace(year=2001))
    schedule(admin, acme)
    assert actions.apply_retention(admin, acme).done
    result = disaggregation.breakdown(SurvivorFile.objects.all(), threshold=1)
    assert cell(result, "sex", "female") == 1 and cell(result, "age_group_then", "12-17") == 1


def test_recording_statistics_is_audited_by_field_name(
    coordinator: User, acme: Organisation
) -> None:
    (file,) = survivors(acme, coordinator, 1)
    actions.record_statistics(coordinator, file, sex="female", country="ua")
    stats = SurvivorStatistics.objects.get(file=file)
    assert (stats.sex, stats.country) == ("female", "UA")
    entry = AuditEntry.objects.filter(action="survivors.statistics.recorded").get()
    assert entry.diff["fields"] == ["country", "sex"] and "female" not in str(entry.diff)


@pytest.mark.parametrize(
    ("field", "value"), [("sex", "woman"), ("age_group_now", "30"), ("country", "XX")]
)
def test_bad_statistics_name_the_field_and_save_nothing(
    coordinator: User, acme: Organisation, field: str, value: str
) -> None:
    (file,) = survivors(acme, coordinator, 1)
    with pytest.raises(ValidationError) as caught:
        actions.record_statistics(coordinator, file, **{field: value})
    assert field in caught.value.message_dict
    assert not SurvivorStatistics.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "analyst", "outsider", "beacon_admin"])
def test_only_those_who_take_consent_record_statistics(
    who: str, request: pytest.FixtureRequest, coordinator: User, acme: Organisation
) -> None:
    (file,) = survivors(acme, coordinator, 1)
    with pytest.raises(PermissionDenied):
        actions.record_statistics(request.getfixturevalue(who), file, sex="male")
    assert not SurvivorStatistics.objects.exists()


def test_the_statistics_page_shows_counts_with_suppression(
    login: Callable[[User], Client], viewer: User, coordinator: User, acme: Organisation
) -> None:
    survivors(acme, coordinator, 5, sex="female")
    survivors(acme, coordinator, 1, sex="male")
    response = login(viewer).get(reverse("survivors:statistics"))
    assert response.status_code == 200
    result = response.context["breakdown"]
    assert cell(result, "sex", "female") is None and cell(result, "sex", "male") is None
    assert "fewer than 5" in response.content.decode()


def test_the_statistics_page_query_count_is_constant(
    login: Callable[[User], Client], viewer: User, coordinator: User, acme: Organisation
) -> None:
    survivors(acme, coordinator, 1, sex="female")
    client = login(viewer)
    client.get(reverse("survivors:statistics"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("survivors:statistics"))
    survivors(acme, coordinator, 6, sex="male")
    with CaptureQueriesContext(connection) as seven:
        client.get(reverse("survivors:statistics"))
    assert len(seven.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize("who", ["officer", "reviewer", "loner"])
def test_the_statistics_page_is_closed_to_those_who_do_not_see_records(
    login: Callable[[User], Client], who: str, request: pytest.FixtureRequest
) -> None:
    response = login(request.getfixturevalue(who)).get(reverse("survivors:statistics"))
    assert response.status_code == 404


def test_another_organisations_survivors_are_not_counted(
    login: Callable[[User], Client], outsider: User, coordinator: User, acme: Organisation
) -> None:
    survivors(acme, coordinator, 6, sex="female")
    client = login(outsider)  # a documenter of beacon sees beacon's counts: none
    assert client.get(reverse("survivors:statistics")).context["breakdown"].total == 0
    assert "Survivors" not in [str(c["title"]) for c in client.get("/").context["cards"]]


def test_the_dashboard_card_counts_by_sex(
    login: Callable[[User], Client], viewer: User, coordinator: User, acme: Organisation
) -> None:
    survivors(acme, coordinator, 6, sex="female")
    survivors(acme, coordinator, 5, sex="male")
    response = login(viewer).get("/")
    (card,) = [c for c in response.context["cards"] if str(c["title"]) == "Survivors"]
    assert card["count"] == 11
    assert [str(e["label"]) for e in card["entries"]] == ["Female: 6", "Male: 5"]
    assert survivors_card is not None


def test_coordinator_records_statistics_on_the_page(
    login: Callable[[User], Client], coordinator: User, acme: Organisation
) -> None:
    (file,) = survivors(acme, coordinator, 1)
    page = reverse("survivors:statistics_record", args=[file.person_id])
    client = login(coordinator)
    assert client.get(page).status_code == 200
    response = client.post(
        page,
        {"sex": "female", "gender_identity": "woman", "age_group_then": "12-17",
         "age_group_now": "18-25", "country": "UA"},
    )  # fmt: skip
    assert response.status_code == 302
    assert SurvivorStatistics.objects.get(file=file).age_group_then == "12-17"
    bad = client.post(page, {"sex": "nobody"})
    assert bad.status_code == 422


@pytest.mark.parametrize("who", ["viewer", "outsider", "beacon_admin"])
def test_the_statistics_form_is_closed_to_others(
    login: Callable[[User], Client],
    who: str,
    request: pytest.FixtureRequest,
    coordinator: User,
    acme: Organisation,
) -> None:
    (file,) = survivors(acme, coordinator, 1)
    page = reverse("survivors:statistics_record", args=[file.person_id])
    client = login(request.getfixturevalue(who))
    assert client.get(page).status_code == 404
    assert client.post(page, {"sex": "male"}).status_code == 404
    assert not SurvivorStatistics.objects.exists()
