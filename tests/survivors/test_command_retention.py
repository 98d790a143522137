"""``justicework survivors retention review|apply [--dry-run]``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from justicework.core.models import Organisation, User
from justicework.survivors import actions
from justicework.violations.models import Person
from tests.survivors.retention_helpers import old_file, schedule

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("survivors", "retention", *args, stdout=out)
    return out.getvalue()


def test_review_lists_codes_and_changes_nothing(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    schedule(admin, acme)
    output = run("review", "--organisation", acme.slug)
    assert file.person.code in output and "1 due" in output
    assert str(Person.objects.get(pk=file.person_id).full_name) not in output
    assert Person.objects.get(pk=file.person_id).full_name


def test_apply_dry_run_changes_nothing_then_apply_does(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    held = old_file(acme, coordinator)
    actions.set_legal_hold(admin, held, reason="Case 4")
    schedule(admin, acme)
    assert "(dry run)" in run("apply", "--dry-run", "--as", admin.email)
    assert Person.objects.get(pk=file.person_id).full_name
    output = run("apply", "--as", admin.email, "--organisation", acme.slug)
    assert "1 done, 1 held" in output
    assert Person.objects.get(pk=file.person_id).full_name is None
    assert Person.objects.get(pk=held.person_id).full_name


def test_apply_as_a_non_admin_is_refused(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    file = old_file(acme, coordinator)
    schedule(admin, acme)
    with pytest.raises(CommandError):
        run("apply", "--as", coordinator.email, "--organisation", acme.slug)
    assert Person.objects.get(pk=file.person_id).full_name


def test_unknown_organisation_is_named(admin: User) -> None:
    with pytest.raises(CommandError, match="nowhere"):
        run("review", "--organisation", "nowhere")
