"""User folders follow XDG variables, and MEDDISSEG_HOME overrides them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from meddisseg_core import paths


def test_xdg_data_home_moves_the_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MEDDISSEG_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.user_data_dir() == tmp_path / "xdg" / "meddisseg-studio"


def test_meddisseg_home_overrides_every_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MEDDISSEG_HOME", str(tmp_path))
    assert paths.user_data_dir() == tmp_path / "data"
    assert paths.user_cache_dir() == tmp_path / "cache"
    assert paths.user_log_dir() == tmp_path / "logs"
