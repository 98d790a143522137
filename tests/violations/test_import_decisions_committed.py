"""A committed run's page shows the duplicate decisions the import followed, read-only: the
stored person's code (only to who may open that identity), the earlier row, or "kept new"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from justicework.dataio import actions as dataio_actions
from justicework.dataio.models import ImportRun
from justicework.violations import actions

from .test_import_decisions import _checked, stored
from .test_import_views import login

pytestmark = pytest.mark.django_db
__all__ = ["stored"]  # the fixture, shared with test_import_decisions


def _committed(cast, tmp_path, decisions):
    run = _checked(cast, tmp_path)
    for row, choice in decisions.items():
        actions.decide_import_duplicate(cast.documenter, run, row, choice)
    run = dataio_actions.commit_run(cast.documenter, run)
    assert run.status == ImportRun.Status.COMMITTED, run.problem
    return run


def _panel(client, run) -> str:
    page = client.get(reverse("dataio:run", args=[run.pk])).content.decode()
    assert "Likely duplicate persons" in page
    return page.split("Likely duplicate persons")[1]


def test_a_committed_run_shows_the_links_taken_without_a_form(client, cast, tmp_path, stored):
    run = _committed(cast, tmp_path, {2: stored.code, 4: "row:3"})
    login(client, cast.documenter)
    panel = _panel(client, run)
    assert (
        f'row 2 was linked to the stored person <span class="pseudonym">{stored.code}</span>.'
        in panel
    )
    assert "row 4 was linked to the person of row 3." in panel
    assert "it can no longer be changed" in panel
    decide = reverse("violations:import_duplicate_decide", args=[run.pk, 2])
    assert decide not in panel and 'type="radio"' not in panel
    assert "Olena" not in panel


def test_kept_new_and_undecided_rows_say_so(client, cast, tmp_path, stored):
    run = _committed(cast, tmp_path, {2: "new"})
    login(client, cast.documenter)
    panel = _panel(client, run)
    assert "row 2 was kept as a new person." in panel
    assert "none; row 4 was imported as a new person." in panel


def test_the_linked_code_is_hidden_from_who_may_not_open_the_identity(
    client, cast, tmp_path, stored
):
    run = _committed(cast, tmp_path, {2: stored.code})
    login(client, cast.admin)  # may see the run, holds no need-to-know on the person
    panel = _panel(client, run)
    assert "row 2 was linked to a stored person whose identity you may not open." in panel
    assert stored.code not in panel


def test_the_committed_decisions_stay_closed_to_outsiders(client, cast, tmp_path, stored):
    run = _committed(cast, tmp_path, {2: stored.code})
    login(client, cast.outsider)
    assert client.get(reverse("dataio:run", args=[run.pk])).status_code == 404
