"""The publication settings fail at start with a message naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_settings import start


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"JUSTICEWORK_GRANTS_360_PREFIX": "acme"}, "JUSTICEWORK_GRANTS_360_PREFIX"),
        ({"JUSTICEWORK_GRANTS_ORG_ID_LISTS": "UA"}, "JUSTICEWORK_GRANTS_ORG_ID_LISTS"),
        ({"JUSTICEWORK_GRANTS_IATI_SECTORS": "documentation="}, "JUSTICEWORK_GRANTS_IATI_SECTORS"),
        ({"JUSTICEWORK_GRANTS_IATI_SECTORS": "legal=151"}, "JUSTICEWORK_GRANTS_IATI_SECTORS"),
        ({"JUSTICEWORK_GRANTS_IATI_DEFAULT_SECTOR": "human rights"}, "DEFAULT_SECTOR"),
    ],
)
def test_bad_publication_settings_fail_naming_the_variable(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    result = start(tmp_path, **env)
    assert result.returncode != 0
    assert named in result.stderr


def test_good_publication_settings_start(tmp_path: Path) -> None:
    result = start(
        tmp_path,
        JUSTICEWORK_GRANTS_360_PREFIX="360G-acme",
        JUSTICEWORK_GRANTS_ORG_ID_LISTS="UA=UA-EDR,GB=GB-CHC",
        JUSTICEWORK_GRANTS_IATI_SECTORS="documentation=15160",
    )
    assert result.returncode == 0, result.stderr
