"""The route matrix can fail: a leaking route added to the URL configuration is caught (with
no change to the probe), a parameter nobody mapped stops it, and beacon's markers do show on
beacon's own pages (so their absence from acme's answers means something)."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from justicework.violations import actions

from . import probe, routes
from .beacon import Beacon, give_authenticator


def _all(world: Beacon) -> list[routes.Route]:
    return probe.all_routes(world, api=False) + probe.all_routes(world, api=True)


def test_a_leaking_route_added_later_is_caught(cast, beacon_world, settings):
    settings.ROOT_URLCONF = "tests.security.leaky_urls"
    made = probe.identities(cast)
    title = beacon_world["incident"].title.split()[-1]
    every = _all(beacon_world)
    leaks = [r for r in every if "leak" in r.label]  # anonymous: only these, to save time
    for who, targets in [("viewer", every), ("anonymous", leaks)]:
        report = probe.run(made[who](), beacon_world, targets)
        caught = "\n".join(report.failures)
        for route in ["[leak_one]", "[leak_all]", "[GET /leak-api/incidents/{incident_id}/title]"]:
            assert route in caught, (who, route, report.text())
        assert f"{title} (incident title)" in caught
        assert "not refused although it names beacon's ('incident',)" in caught
    assert "answers anonymous callers but is not in PUBLIC" in caught  # anonymous' report
    assert "[leak_oracle] as anonymous: 403 for beacon's ('incident',), 404 for ids" in caught


def test_a_parameter_nobody_mapped_stops_the_probe(beacon_world, settings):
    settings.ROOT_URLCONF = "tests.security.unmapped_urls"
    with pytest.raises(routes.Unmapped, match="parameter 'pk' of route 'gizmo'"):
        routes.web_routes(beacon_world)
    with pytest.raises(routes.Unmapped, match="'gizmo_id' of GET /gizmo-api/gizmos/"):
        routes.api_routes(beacon_world)


#: markers no GET shows to beacon's own admin, and why
UNSEEN_BY_GET = {
    "identity: full name": "an identity opens only with a grant and a POST (checked below)",
    "identity: other name": "as above",
    "identity: document": "as above",
    "identity: commander name": "as above",
    "imported victim name": "the import file is sealed; rows are shown only once imported",
    "imported incident title": "as above",
    "interview narrative": "a narrative unfolds only by an audited POST (checked below)",
    "sexual violence narrative": "as above",
    "interview interpreter": "kept for the record; the interviews page shows the gender only",
    "repeat reason": "kept for the record and the audit; no page shows it back",
    # referrals and support plans are need-to-know: support coordinators only, not the admin
    "referral note": "a referral opens to the owner's support coordinators only",
    "plan needs": "a support plan opens to the owner's support coordinators only",
    "plan action": "as above",
}


def _audit_pages(identity: probe.Identity, world: Beacon) -> set[str]:
    """Markers on every page of beacon's audit log (the probe sees only its first page, and
    the reads it audits push older entries off it)."""
    client, seen = identity.client_factory(), set()
    url = reverse("web:organisation_audit", args=[world["organisation"].pk])
    page = 1
    while True:
        response = client.get(url, {"page": page})
        seen |= {what for _marker, what in world.found_in(probe.body_text(response))}
        if f"page={page + 1}" not in response.content.decode():
            return seen
        page += 1


def test_markers_show_on_beacons_own_pages(cast, beacon_world):
    """Beacon's admin and its other people (the grants programme officer, a reviewer, the
    grantees), calling every GET route, see between them every marker a page can show."""
    gets = [
        dataclasses.replace(r, methods=tuple(m for m in r.methods if m in {"GET", "HTMX"}))
        for r in _all(beacon_world)
    ]
    seen: set[str] = set()
    people = {"beacon_admin": cast.beacon_admin, **beacon_world.people}
    grants = [r for r in gets if "grants" in r.path]  # the others see only the grants pages
    for name, user in people.items():
        give_authenticator(user)
        identity = probe.Identity(name, probe._session("x", user).client_factory, user)
        seen |= probe.run(identity, beacon_world, gets if name == "beacon_admin" else grants).seen
        if user == cast.beacon_admin:
            seen |= _audit_pages(identity, beacon_world)
    missing = set(beacon_world.markers.values()) - seen - set(UNSEEN_BY_GET)
    assert not missing, f"markers never shown to beacon's own people: {sorted(missing)}"
    assert not seen & set(UNSEEN_BY_GET), "shown after all: remove from UNSEEN_BY_GET"


def test_an_identity_shows_to_beacons_admin_with_a_grant(cast, beacon_world):
    person, admin = beacon_world["person"], cast.beacon_admin
    actions.grant_need_to_know(admin, admin, person, reason="probe control")
    give_authenticator(admin)
    client = probe._session("beacon_admin", admin).client_factory()
    url = reverse("violations:person_reveal", args=[person.pk])
    page = probe.body_text(client.post(url, {"confirm": "on"}))
    shown = {what for _marker, what in beacon_world.found_in(page)}
    assert {"identity: full name", "identity: other name", "identity: document"} <= shown


def test_a_narrative_shows_to_beacons_admin_by_the_audited_post(cast, beacon_world):
    interview, admin = beacon_world["interview"], cast.beacon_admin
    give_authenticator(admin)
    client = probe._session("beacon_admin", admin).client_factory()
    pk = beacon_world["person"].pk
    shown = set()
    for part in ("narrative", "sexual_violence"):
        url = reverse("survivors:narrative_unfold", args=[pk, interview.pk, part])
        shown |= {
            what for _marker, what in beacon_world.found_in(probe.body_text(client.post(url)))
        }
    assert {"interview narrative", "sexual violence narrative"} <= shown


def test_an_xlsx_export_is_read_unzipped(cast, beacon_world):
    give_authenticator(cast.beacon_admin)
    client = probe._session("beacon_admin", cast.beacon_admin).client_factory()
    response = client.get(reverse("dataio:export_download", args=["violations", "xlsx"]))
    assert response.status_code == 200
    shown = {what for _marker, what in beacon_world.found_in(probe.body_text(response))}
    assert "incident title" in shown
