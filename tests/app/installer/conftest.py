"""Fixtures for the installer-facing parts of the app: crash logs, the Qt plugin check, the self-test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """MEDDISSEG_HOME in a temporary folder: logs go to <it>/logs, never the user's own folders."""
    home = tmp_path / "meddisseg-home"
    monkeypatch.setenv("MEDDISSEG_HOME", str(home))
    yield home
