"""Identity access pages: the person page says who grants need-to-know and offers the request;
the deciders' queue; the requester sees the outcome; need-to-know on a set of persons (an
import's, the incident list's). Allow and deny for each page."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from justicework.core import policy
from justicework.core.models import AccessGrant
from justicework.dataio.models import ImportedRow, ImportRun
from justicework.violations import actions
from justicework.violations.models import IdentityAccessRequest

from ..conftest import make_incident, make_person, make_violation
from .conftest import Login, text, url

pytestmark = pytest.mark.django_db

LATER = (timezone.localdate() + dt.timedelta(days=20)).isoformat()


def test_the_hidden_identity_says_who_grants_it_and_offers_the_request(
    login: Login, cast: SimpleNamespace
) -> None:
    person = make_person(cast.acme)
    page = text(login(cast.analyst).get(url("person_detail", person.pk)))
    assert "Coordinator" in page and "Admin" in page  # the deciders, by name
    assert url("person_access_request", person.pk) in page
    viewer_page = text(login(cast.viewer).get(url("person_detail", person.pk)))
    assert url("person_access_request", person.pk) not in viewer_page  # cannot ask


def test_a_member_asks_and_then_sees_the_request_waiting(
    login: Login, cast: SimpleNamespace
) -> None:
    person = make_person(cast.acme)
    client = login(cast.analyst)
    response = client.post(url("person_access_request", person.pk), {"reason": "Case file"})
    assert response.status_code == 302
    request = IdentityAccessRequest.objects.get()
    assert (request.requester, request.person) == (cast.analyst, person)
    page = text(client.get(url("person_detail", person.pk)))
    assert "Waiting for a decision" in page
    assert url("person_access_request", person.pk) not in page  # one at a time


def test_an_empty_request_is_refused_with_the_reason(login: Login, cast: SimpleNamespace) -> None:
    person = make_person(cast.acme)
    response = login(cast.analyst).post(
        url("person_access_request", person.pk), {"reason": ""}, follow=True
    )
    assert "This field is required" in text(response)
    assert not IdentityAccessRequest.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("outsider", 404), ("loner", 404)])
def test_who_may_not_ask_is_refused(
    login: Login, cast: SimpleNamespace, who: str, status: int
) -> None:
    person = make_person(cast.acme)
    response = login(getattr(cast, who)).post(
        url("person_access_request", person.pk), {"reason": "Curious"}
    )
    assert response.status_code == status
    assert not IdentityAccessRequest.objects.exists()


def test_the_queue_lists_waiting_requests_to_deciders_only(
    login: Login, cast: SimpleNamespace
) -> None:
    person = make_person(cast.acme)
    actions.request_identity_access(cast.analyst, person, "Preparing the hearing")
    for who in ["coordinator", "admin"]:
        page = text(login(getattr(cast, who)).get(url("access_request_queue")))
        assert "Preparing the hearing" in page and person.code in page
    for who in ["documenter", "beacon_admin", "viewer"]:
        page = text(login(getattr(cast, who)).get(url("access_request_queue")))
        assert "Preparing the hearing" not in page


def test_the_queue_link_shows_in_the_header_for_deciders(
    login: Login, cast: SimpleNamespace
) -> None:
    link = f'href="{url("access_request_queue")}"'
    assert link in text(login(cast.coordinator).get(url("person_list")))
    assert link not in text(login(cast.documenter).get(url("person_list")))


def test_a_decider_approves_and_the_requester_may_open_the_identity(
    login: Login, cast: SimpleNamespace
) -> None:
    person = make_person(cast.acme)
    request = actions.request_identity_access(cast.analyst, person, "Case file")
    response = login(cast.coordinator).post(
        url("access_request_decide", request.pk),
        {f"r{request.pk}-decision": "approve", f"r{request.pk}-expires_on": LATER},
    )
    assert response.status_code == 302
    assert policy.can(cast.analyst, "reveal_identity", person)
    mine = text(login(cast.analyst).get(url("access_request_queue")))
    assert "Approved" in mine and person.code in mine


def test_a_refusal_without_a_note_changes_nothing_and_says_why(
    login: Login, cast: SimpleNamespace
) -> None:
    request = actions.request_identity_access(cast.analyst, make_person(cast.acme), "Case")
    response = login(cast.admin).post(
        url("access_request_decide", request.pk), {f"r{request.pk}-decision": "refuse"}
    )
    assert response.status_code == 422
    assert "Say why the request is refused." in text(response)
    request.refresh_from_db()
    assert request.status == "pending"


def test_the_requester_sees_a_refusal_and_its_reason_on_the_person_page(
    login: Login, cast: SimpleNamespace
) -> None:
    person = make_person(cast.acme)
    request = actions.request_identity_access(cast.analyst, person, "Case")
    login(cast.admin).post(
        url("access_request_decide", request.pk),
        {f"r{request.pk}-decision": "refuse", f"r{request.pk}-note": "Ask your supervisor"},
    )
    page = text(login(cast.analyst).get(url("person_detail", person.pk)))
    assert "Refused" in page and "Ask your supervisor" in page


@pytest.mark.parametrize("who", ["documenter", "analyst", "beacon_admin", "viewer"])
def test_others_cannot_decide_a_request(login: Login, cast: SimpleNamespace, who: str) -> None:
    request = actions.request_identity_access(cast.analyst, make_person(cast.acme), "Case")
    response = login(getattr(cast, who)).post(
        url("access_request_decide", request.pk),
        {f"r{request.pk}-decision": "approve", f"r{request.pk}-expires_on": LATER},
    )
    assert response.status_code == 404
    assert not AccessGrant.objects.exists()


def test_a_decider_cannot_decide_their_own_request_on_the_web(
    login: Login, cast: SimpleNamespace
) -> None:
    request = actions.request_identity_access(cast.coordinator, make_person(cast.acme), "Me")
    response = login(cast.coordinator).post(
        url("access_request_decide", request.pk),
        {f"r{request.pk}-decision": "approve", f"r{request.pk}-expires_on": LATER},
    )
    assert response.status_code == 404


# --- A set of persons ------------------------------------------------------------------------


def _import_run(cast: SimpleNamespace) -> tuple[ImportRun, list[int]]:
    """A committed import run of two acts with their victims (its row keys as the importer
    writes them) and one act recorded by hand."""
    incident = make_incident(cast.acme)
    run = ImportRun.objects.create(
        organisation=cast.acme,
        kind="violations",
        file_format="csv",
        filename="killings.csv",
        status=ImportRun.Status.COMMITTED,
        created_by=cast.admin,
    )
    victims = []
    for n in range(2):
        victim = make_person(cast.acme, full_name=f"Imported {n}")
        act = make_violation(incident, victim=victim)
        ImportedRow.objects.create(
            organisation=cast.acme,
            kind="violations",
            key_hash=f"k{n}",
            object_id=str(act.pk),
            run=run,
        )
        victims.append(victim.pk)
    make_violation(incident, victim=make_person(cast.acme, full_name="By hand"))
    return run, victims


def test_an_admin_grants_the_persons_of_an_import_after_seeing_how_many(
    login: Login, cast: SimpleNamespace
) -> None:
    run, victims = _import_run(cast)
    client = login(cast.admin)
    page = client.get(url("person_grant_set"))
    assert page.status_code == 200 and "killings.csv" in text(page)
    form = {
        "run": run.pk,
        "user": cast.analyst.pk,
        "reason": "Export for the mechanism",
        "expires_on": LATER,
    }
    preview = client.post(url("person_grant_set"), form)
    assert preview.status_code == 422 and "2 persons in this selection" in text(preview)
    assert not AccessGrant.objects.filter(user=cast.analyst).exists()
    done = client.post(url("person_grant_set"), {**form, "confirm": "on"})
    assert done.status_code == 302
    granted = AccessGrant.objects.filter(user=cast.analyst).values_list("object_id", flat=True)
    assert sorted(int(pk) for pk in granted) == sorted(victims)


def test_an_admin_grants_the_persons_of_the_incident_lists_search(
    login: Login, cast: SimpleNamespace
) -> None:
    market = make_incident(cast.acme, title="Shelling of the market")
    school = make_incident(cast.acme, title="Raid on the school")
    inside = make_person(cast.acme)
    outside = make_person(cast.acme)
    make_violation(market, victim=inside)
    make_violation(school, victim=outside)
    client = login(cast.admin)
    listing = text(client.get(url("incident_list"), {"q": "market"}))
    assert url("person_grant_set") + "?list=q%3Dmarket" in listing
    response = client.post(
        url("person_grant_set"),
        {
            "list": "q=market",
            "user": cast.documenter.pk,
            "reason": "Interviews",
            "expires_on": LATER,
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    assert policy.can(cast.documenter, "reveal_identity", inside)
    assert not policy.can(cast.documenter, "reveal_identity", outside)


@pytest.mark.parametrize("who", ["documenter", "coordinator", "viewer", "loner"])
def test_only_admins_open_the_set_grant_page(login: Login, cast: SimpleNamespace, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get(url("person_grant_set")).status_code == 403
    response = client.post(
        url("person_grant_set"),
        {
            "list": "q=x",
            "user": cast.analyst.pk,
            "reason": "x",
            "expires_on": LATER,
            "confirm": "on",
        },
    )
    assert response.status_code == 403
    assert not AccessGrant.objects.exists()


def test_another_organisations_import_run_is_not_found(login: Login, cast: SimpleNamespace) -> None:
    run, _victims = _import_run(cast)
    response = login(cast.beacon_admin).post(
        url("person_grant_set"),
        {"run": run.pk, "user": cast.beacon_admin.pk, "reason": "x", "expires_on": LATER},
    )
    assert response.status_code == 404
    assert not AccessGrant.objects.exists()
