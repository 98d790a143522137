"""Rebuilding persons' blind indexes after new index kinds (issue 11): an action needing
``org.manage``, audited with counts only, and its command."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from justicework.violations import actions
from justicework.violations.models import PersonIndex

from .conftest import last_audit

pytestmark = pytest.mark.django_db


def _person_without_new_kinds(cast: SimpleNamespace) -> set[tuple[str, str]]:
    person = actions.create_person(
        None,
        cast.acme,
        full_name="Olena Kovalenko",
        date_of_birth=dt.date(1990, 2, 3),
        age_range={"min": 30, "max": 30},
    )
    full = set(person.index_values.values_list("kind", "value"))
    person.index_values.filter(
        kind__in=[PersonIndex.Kind.NAME_HALF, PersonIndex.Kind.AGE, PersonIndex.Kind.NAME_PREFIX]
    ).delete()  # as stored before issue 11's half, age and prefix keys
    return full


def test_an_admin_rebuilds_the_indexes_and_the_audit_holds_counts_only(
    cast: SimpleNamespace,
) -> None:
    full = _person_without_new_kinds(cast)
    counts = actions.reindex_persons(cast.admin, cast.acme)
    assert counts == {"persons": 1, "index_rows": len(full)}
    assert set(PersonIndex.objects.values_list("kind", "value")) == full
    entry = last_audit("violations.person.indexes_rebuilt")
    assert entry.actor_id == cast.admin.pk
    assert entry.diff == counts


@pytest.mark.parametrize("who", ["documenter", "viewer", "outsider", "beacon_admin"])
def test_others_may_not_rebuild_the_indexes(cast: SimpleNamespace, who: str) -> None:
    full = _person_without_new_kinds(cast)
    with pytest.raises(PermissionDenied):
        actions.reindex_persons(getattr(cast, who), cast.acme)
    assert set(PersonIndex.objects.values_list("kind", "value")) < full


def test_the_command_rebuilds_as_the_named_user_and_refuses_others(
    cast: SimpleNamespace, capsys: pytest.CaptureFixture[str]
) -> None:
    full = _person_without_new_kinds(cast)
    call_command("reindex_persons", "--organisation", cast.acme.slug, "--as", cast.admin.email)
    assert "Re-indexed 1 persons" in capsys.readouterr().out
    assert set(PersonIndex.objects.values_list("kind", "value")) == full
    with pytest.raises(CommandError):
        call_command(
            "reindex_persons", "--organisation", cast.acme.slug, "--as", cast.documenter.email
        )
    with pytest.raises(CommandError, match="short name"):
        call_command("reindex_persons", "--organisation", "nope", "--as", cast.admin.email)
