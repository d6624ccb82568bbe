"""Shared fixtures: the location of ../shared (reference data and Kvasir-SEG), read-only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _find_shared() -> Path | None:
    env = os.environ.get("MEDDISSEG_SHARED")
    candidates = [Path(env)] if env else []
    root = Path(__file__).resolve().parents[1]
    candidates += [root / ".." / "shared", root / "shared"]
    for candidate in candidates:
        if (candidate / "reference").is_dir():
            return candidate.resolve()
    return None


@pytest.fixture(scope="session", autouse=True)
def _user_folders(tmp_path_factory: pytest.TempPathFactory):
    """The app and CLI write per-user data (the model registry, logs): never the real user's."""
    if "MEDDISSEG_HOME" in os.environ:
        yield
        return
    os.environ["MEDDISSEG_HOME"] = str(tmp_path_factory.mktemp("meddisseg-home"))
    yield
    os.environ.pop("MEDDISSEG_HOME", None)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    found = _find_shared()
    if found is None:
        pytest.skip("../shared (reference data) is not beside this checkout")
    return found


@pytest.fixture(scope="session")
def reference_dir(shared_dir: Path) -> Path:
    return shared_dir / "reference"


@pytest.fixture(scope="session")
def kvasir_dir(shared_dir: Path) -> Path:
    path = shared_dir / "data" / "Kvasir-SEG"
    if not (path / "images").is_dir():
        pytest.skip(f"{path} is missing")
    return path
