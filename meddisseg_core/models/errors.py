"""Errors of the model registry and downloads (subclasses of the core hierarchy).

They live here rather than in :mod:`meddisseg_core.errors` so this package stays self-contained;
callers catch :class:`~meddisseg_core.errors.MedDisSegError` as everywhere else.
"""

from __future__ import annotations

from pathlib import Path

from meddisseg_core.errors import MedDisSegError


class RegistryError(MedDisSegError):
    """A registry operation cannot be done (unknown id, removing the shipped model, ...)."""


class RegistryCorruptError(RegistryError):
    """The registry file could not be read; it was moved aside to ``moved_to``."""

    def __init__(self, path: Path, moved_to: Path | None, reason: str) -> None:
        self.path = path
        self.moved_to = moved_to
        self.reason = reason
        where = f"moved aside to {moved_to}" if moved_to else "left in place (it could not be moved)"
        super().__init__(
            f"{path}: the model registry is damaged ({reason}); it was {where}. The model files in "
            f"{path.parent / 'files'} are untouched: add them back with `meddisseg models import FILE`."
        )


class DownloadError(MedDisSegError):
    """A download failed; the message says why and what to do (e.g. the URL to fetch by hand)."""


class DownloadInterruptedError(DownloadError):
    """The connection dropped; the partial file is kept and the next attempt resumes it."""
