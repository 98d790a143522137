"""``justicework evidence ingest PATH --incident N``: every item linked to the incident in the
transaction that creates it; the incident and the right to link checked before anything is
written; the dry run shows the link; a resumed run links what the killed run left unlinked."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from justicework.audit.models import AuditEntry
from justicework.core import policy
from justicework.evidence.actions import ingests
from justicework.evidence.models import CustodyEntry, Item, Link, Original
from justicework.violations.models import Incident

from ...violations.conftest import make_incident
from .test_ingest import PDF, PNG, folder

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(acme: Any) -> Incident:
    return make_incident(acme, title="Shelling of the market", external_ref="ACME-2023-017")


def ingest(who: Any, slug: str, path: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command("evidence", "ingest", str(path), "--organisation", slug, "--as", who.email,
                 *extra, stdout=out)  # fmt: skip
    return out.getvalue()


def refused(who: Any, slug: str, path: Path, *extra: str) -> str:
    audit = AuditEntry.objects.count()
    with pytest.raises(CommandError) as caught:
        ingest(who, slug, path, *extra)
    assert not Item.objects.exists() and not Original.objects.exists()
    assert not Link.objects.exists() and AuditEntry.objects.count() == audit
    return str(caught.value)


def test_every_ingested_item_is_linked_to_the_incident(
    cast: Any, incident: Incident, tmp_path: Path
) -> None:
    output = ingest(cast.documenter, cast.acme.slug, folder(tmp_path), "--incident",
                    str(incident.pk))  # fmt: skip
    assert f"every item linked to incident {incident.pk} (ACME-2023-017)" in output
    assert output.count(f", linked to incident {incident.pk}") == 3
    items = list(Item.objects.all())
    assert len(items) == 3
    for item in items:
        link = Link.objects.get(item=item)
        assert (link.kind, link.incident_id, link.created_by) == (
            "incident",
            incident.pk,
            cast.documenter,
        )
        linked = item.custody.get(event=CustodyEntry.Event.LINKED).detail
        assert linked["id"] == incident.pk and linked["reference"] == "ACME-2023-017"
    started = AuditEntry.objects.get(action="evidence.ingest.started")
    assert started.diff["incident"] == incident.pk


def test_the_dry_run_shows_the_link_it_would_make_and_writes_nothing(
    cast: Any, incident: Incident, tmp_path: Path
) -> None:
    root = folder(tmp_path)
    output = ingest(cast.documenter, cast.acme.slug, root, "--incident", str(incident.pk),
                    "--dry-run")  # fmt: skip
    assert output.count(f", would link to incident {incident.pk}") == 3
    assert "would be linked to incident" in output and "(dry run: nothing changed)" in output
    assert not Item.objects.exists() and not Link.objects.exists()
    ingest(cast.documenter, cast.acme.slug, root, "--incident", str(incident.pk))
    again = ingest(cast.documenter, cast.acme.slug, root, "--incident", str(incident.pk),
                   "--dry-run")  # fmt: skip
    assert again.count(f", linked to incident {incident.pk}") == 3
    assert "would link" not in again.replace("would be linked", "")


def test_a_resumed_run_links_the_items_of_the_interrupted_run_once(
    cast: Any, incident: Incident, tmp_path: Path
) -> None:
    root = folder(tmp_path)
    # the interrupted run: one item made (and linked) before the kill, one made without link
    # by a run without --incident
    plan = ingests.plan_ingest(cast.documenter, cast.acme, root, incident.pk)
    source = ingests.open_source(root)
    try:
        first, second, *_rest = (row for row in plan.rows if row.status == "new")
        budget = ingests.Budget()
        ingests.ingest_file(cast.documenter, cast.acme, source, first, budget, "killed run",
                            incident)  # fmt: skip
        ingests.ingest_file(cast.documenter, cast.acme, source, second, budget, "older run")
    finally:
        source.close()
    assert Link.objects.count() == 1
    output = ingest(cast.documenter, cast.acme.slug, root, "--incident", str(incident.pk))
    assert "1 file(s) ingested, 2 already present" in output
    assert Item.objects.count() == 3
    assert sorted(Link.objects.values_list("item_id", flat=True)) == sorted(
        Item.objects.values_list("pk", flat=True)
    )
    ingest(cast.documenter, cast.acme.slug, root, "--incident", str(incident.pk))
    assert Link.objects.count() == 3
    assert CustodyEntry.objects.filter(event=CustodyEntry.Event.LINKED).count() == 3


def test_another_organisations_incident_is_refused_before_anything_is_written(
    cast: Any, tmp_path: Path
) -> None:
    theirs = make_incident(cast.beacon, title="Raid on the clinic", country="CD")
    message = refused(cast.documenter, cast.acme.slug, folder(tmp_path), "--incident",
                      str(theirs.pk))  # fmt: skip
    assert f"There is no incident {theirs.pk} you may open in {cast.acme.name}" in message
    assert "Nothing was ingested." in message


def test_a_missing_incident_gets_the_same_answer(cast: Any, tmp_path: Path) -> None:
    message = refused(cast.documenter, cast.acme.slug, folder(tmp_path), "--incident", "987654")
    assert "There is no incident 987654 you may open" in message


def test_a_restricted_incident_the_user_may_not_open_is_refused(cast: Any, tmp_path: Path) -> None:
    hidden = make_incident(cast.acme, title="Hidden", sensitivity="restricted")
    message = refused(cast.documenter, cast.acme.slug, folder(tmp_path), "--incident",
                      str(hidden.pk))  # fmt: skip
    assert f"There is no incident {hidden.pk} you may open" in message


@pytest.mark.parametrize("who", ["viewer", "outsider", "analyst"])
def test_those_who_may_not_ingest_and_link_are_refused(
    cast: Any, incident: Incident, tmp_path: Path, who: str
) -> None:
    root = tmp_path / "drop"
    root.mkdir()
    (root / "a.png").write_bytes(PNG)
    (root / "b.pdf").write_bytes(PDF)
    message = refused(getattr(cast, who), cast.acme.slug, root, "--incident", str(incident.pk))
    assert message.startswith("Not allowed")


def test_the_right_to_link_is_asked_of_the_policy_on_the_organisation(
    cast: Any, incident: Incident
) -> None:
    assert policy.can(cast.documenter, "evidence.link", cast.acme)
    assert policy.can(cast.analyst, "evidence.link", cast.acme)  # links, but does not upload
    for who in (cast.viewer, cast.outsider, cast.reviewer, cast.beacon_admin):
        assert not policy.can(who, "evidence.link", cast.acme)
        with pytest.raises(PermissionDenied):
            ingests.incident_to_link(who, cast.acme, incident.pk)
    assert ingests.incident_to_link(cast.documenter, cast.acme, incident.pk) == incident
