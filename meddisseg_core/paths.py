"""Per-user folders (data, cache, logs), following the platform's conventions via platformdirs.

Linux: ``$XDG_DATA_HOME/meddisseg-studio`` (default ``~/.local/share/meddisseg-studio``), logs under
``$XDG_STATE_HOME``; Windows: ``%LOCALAPPDATA%\\meddisseg-studio``; macOS: ``~/Library/...``.
``MEDDISSEG_HOME`` overrides all three (one folder with ``data/``, ``cache/`` and ``logs/``), for
portable installs and tests. Nothing here creates a folder: callers create what they write.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

APP_NAME = "meddisseg-studio"


def _platformdirs() -> ModuleType:
    # Imported on first use, not with this module: headless runs (the GPU training machine has
    # no platformdirs) import core modules that import this one without ever asking for a folder.
    import platformdirs

    return platformdirs


def _override(kind: str) -> Path | None:
    home = os.environ.get("MEDDISSEG_HOME")
    return Path(home).expanduser() / kind if home else None


def user_data_dir() -> Path:
    """Models registry and other durable per-user data."""
    return _override("data") or Path(_platformdirs().user_data_dir(APP_NAME, appauthor=False))


def user_cache_dir() -> Path:
    """Downloads in progress and other files that may be deleted at any time."""
    return _override("cache") or Path(_platformdirs().user_cache_dir(APP_NAME, appauthor=False))


def user_log_dir() -> Path:
    """Application logs and crash reports."""
    return _override("logs") or Path(_platformdirs().user_log_dir(APP_NAME, appauthor=False))
