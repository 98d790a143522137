"""Every demo test gets its own evidence vault directory (the demo stores evidence files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return Path(settings.EVIDENCE_DIR)
