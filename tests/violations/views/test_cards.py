"""The dashboard's "your work" and "your imports" cards: the user's next actions by what the
policy allows, their own drafts and recent incidents (never another member's), their imports,
and a query count that does not grow with the records."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from justicework.dataio import actions as dataio_actions
from justicework.violations import actions

from .conftest import Login, url

pytestmark = pytest.mark.django_db


def card(html: str, title: str) -> str | None:
    """The HTML of the card titled ``title``, or None when the page has no such card."""
    match = re.search(
        rf'<section class="card"[^>]*>\s*<h2 id="card-\d+">{re.escape(title)}</h2>(.*?)</section>',
        html,
        re.S,
    )
    return match.group(1) if match else None


def record(user: Any, org: Any, title: str, status: str = "draft") -> Any:
    return actions.create_incident(user, org, title=title, status=status, date_precision="unknown")


def test_a_documenter_sees_next_actions_and_their_own_drafts_and_recent_work(
    login: Login, cast: SimpleNamespace
) -> None:
    draft = record(cast.documenter, cast.acme, "Night raid, still writing")
    done = record(cast.documenter, cast.acme, "Shelling of the market", "documented")
    record(cast.admin, cast.acme, "Someone else's incident", "documented")
    html = login(cast.documenter).get("/").content.decode()
    work = card(html, "Your work")
    assert work is not None
    assert f'<a class="button" href="{url("incident_create")}">Record an incident</a>' in work
    assert 'href="/data/import/violations/">Import a list</a>' in work
    assert f'href="{url("incident_edit", draft.pk)}">Night raid, still writing</a>' in work
    assert f'href="{url("incident_detail", done.pk)}">Shelling of the market</a>' in work
    assert "Someone else" not in work
    assert work.index("Shelling of the market") < work.index("Night raid")  # latest first


def test_a_viewer_gets_no_action_they_may_not_take(login: Login, cast: SimpleNamespace) -> None:
    html = login(cast.viewer).get("/").content.decode()
    work = card(html, "Your work")
    assert work is not None and "You have not recorded an incident yet." in work
    assert "Record an incident" not in work and "Import a list" not in work
    assert card(html, "Your imports") is None  # viewers may not import


def test_members_of_no_organisation_get_neither_card(login: Login, cast: SimpleNamespace) -> None:
    html = login(cast.loner).get("/").content.decode()
    assert card(html, "Your work") is None and card(html, "Your imports") is None


def test_the_imports_card_lists_the_users_own_runs(login: Login, cast: SimpleNamespace) -> None:
    mine = dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv",
        filename="killings-2024.csv", chunks=[b"a,b\n1,2\n"],
    )  # fmt: skip
    dataio_actions.start_run(
        cast.admin, cast.acme, kind="violations", file_format="csv",
        filename="admins-file.csv", chunks=[b"a,b\n1,2\n"],
    )  # fmt: skip
    imports = card(login(cast.documenter).get("/").content.decode(), "Your imports")
    assert imports is not None
    assert f'href="/data/runs/{mine.pk}/">killings-2024.csv</a>' in imports
    assert "Uploaded" in imports and "admins-file.csv" not in imports


def test_the_cards_queries_do_not_grow_with_the_users_records(
    login: Login, cast: SimpleNamespace, django_assert_num_queries: Any
) -> None:
    client = login(cast.documenter)
    record(cast.documenter, cast.acme, "First")
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for number in range(12):
        record(cast.documenter, cast.acme, f"Incident {number}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/")


# --- Identity access requests waiting (issue 11) -----------------------------------------------

QUEUE_LINK = 'href="/identity-requests/"'


def _ask(cast: SimpleNamespace, who: str, n: int = 1, org: Any = None) -> list[Any]:
    """``n`` requests from ``who`` on new persons of ``org`` (acme by default)."""
    from ..conftest import make_person

    requester = getattr(cast, who)
    return [
        actions.request_identity_access(requester, make_person(org or cast.acme), "Case file")
        for _ in range(n)
    ]


def _requests_line(html: str) -> str | None:
    work = card(html, "Your work")
    assert work is not None
    match = re.search(rf'<a class="button" {QUEUE_LINK}>([^<]*)</a>', work)
    return match.group(1) if match else None


@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_deciders_see_how_many_identity_requests_wait_with_a_link_to_the_queue(
    login: Login, cast: SimpleNamespace, who: str
) -> None:
    waiting = _ask(cast, "analyst", 2)
    _ask(cast, "documenter", 1)
    decided = _ask(cast, "documenter", 1)[0]
    other = cast.coordinator if who == "admin" else cast.admin  # decided by the other decider
    actions.decide_identity_request(other, decided, approve=False, note="Not needed")
    _ask(cast, "outsider", 1, org=cast.beacon)  # another organisation's queue
    assert len(waiting) == 2
    assert _requests_line(login(getattr(cast, who)).get("/").content.decode()) == (
        "3 identity requests waiting"
    )


def test_a_decider_sees_the_line_when_nothing_waits(login: Login, cast: SimpleNamespace) -> None:
    assert _requests_line(login(cast.coordinator).get("/").content.decode()) == (
        "0 identity requests waiting"
    )
    _ask(cast, "analyst", 1)
    assert _requests_line(login(cast.coordinator).get("/").content.decode()) == (
        "1 identity request waiting"
    )


def test_a_deciders_own_request_is_not_counted_for_them(
    login: Login, cast: SimpleNamespace
) -> None:
    _ask(cast, "coordinator", 1)
    assert _requests_line(login(cast.coordinator).get("/").content.decode()) == (
        "0 identity requests waiting"
    )
    assert _requests_line(login(cast.admin).get("/").content.decode()) == (
        "1 identity request waiting"
    )


@pytest.mark.parametrize("who", ["analyst", "documenter", "viewer", "officer", "reviewer"])
def test_members_who_may_not_decide_see_no_requests_line(
    login: Login, cast: SimpleNamespace, who: str
) -> None:
    _ask(cast, "analyst", 2)
    html = login(getattr(cast, who)).get("/").content.decode()
    work = card(html, "Your work")  # officers and reviewers have no records: no card at all
    assert work is None or QUEUE_LINK not in work
    assert QUEUE_LINK not in html and "identity request" not in html


def test_another_organisations_admin_sees_none_of_acmes_requests(
    login: Login, cast: SimpleNamespace
) -> None:
    _ask(cast, "analyst", 2)
    assert _requests_line(login(cast.beacon_admin).get("/").content.decode()) == (
        "0 identity requests waiting"
    )


def test_the_deciders_dashboard_queries_do_not_grow_with_the_requests(
    login: Login, cast: SimpleNamespace, django_assert_num_queries: Any
) -> None:
    client = login(cast.coordinator)
    _ask(cast, "analyst", 1)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    _ask(cast, "analyst", 6)
    _ask(cast, "documenter", 5)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get("/").content.decode()
    assert _requests_line(page) == "12 identity requests waiting"
