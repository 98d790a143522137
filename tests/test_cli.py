"""The ``justicework`` console script runs Django's commands, with owner-only file modes set
before anything is written."""

from __future__ import annotations

import os

import django
import pytest

from justicework import cli


def test_the_script_runs_a_management_command_with_an_owner_only_umask(
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = os.umask(0o022)
    try:
        cli.main(["version"])
        during = os.umask(0o022)
    finally:
        os.umask(old)
    assert capsys.readouterr().out.strip() == django.get_version()
    assert during == 0o077


def test_an_unknown_command_exits_non_zero_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    old = os.umask(0o022)
    try:
        with pytest.raises(SystemExit) as exited:
            cli.main(["no_such_command"])
    finally:
        os.umask(old)
    assert exited.value.code != 0
    assert "Unknown command: 'no_such_command'" in capsys.readouterr().err
