"""``justicework worker`` checks the master key before it works the queue."""

from __future__ import annotations

import os

import pytest
from django.core.management.base import CommandError

from justicework.encryption import keyring
from justicework.tasks.management.commands.worker import Command

pytestmark = pytest.mark.django_db


def worker(*args: str) -> Command:
    command = Command()
    command._worker_args = list(args)  # as run_from_argv leaves them
    return command


def test_worker_refuses_to_start_with_a_wrong_master_key(cast, settings) -> None:
    from justicework.violations import actions

    actions.create_person(None, cast.acme, full_name="Synthetic Person")  # makes a data key
    settings.MASTER_KEY = os.urandom(32)
    keyring.keyring.clear()
    with pytest.raises(CommandError, match="JUSTICEWORK_MASTER_KEY"):
        worker("--batch", "--no-startup-delay").handle(worker_args=[])


def test_worker_runs_the_queue_with_the_right_key(cast, monkeypatch) -> None:
    from justicework.tasks.management.commands import worker as module
    from justicework.violations import actions

    actions.create_person(None, cast.acme, full_name="Synthetic Person")
    # db_worker itself closes and reopens connections (not inside a test's transaction):
    # record what it would be given instead of running it here.
    started: list[tuple[str, ...]] = []
    monkeypatch.setattr(module, "call_command", lambda *args: started.append(args))
    worker("--batch", "--no-startup-delay").handle(worker_args=[])
    assert started == [("db_worker", "--batch", "--no-startup-delay")]


def test_run_from_argv_passes_the_options_through(monkeypatch) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(Command, "execute", lambda self, *a, **k: seen.append(self._worker_args))
    Command().run_from_argv(["justicework", "worker", "--interval", "1", "--batch"])
    assert seen == [["--interval", "1", "--batch"]]
