"""Errors raised by the project state layer (all derive from MedDisSegError)."""

from __future__ import annotations

from pathlib import Path

from meddisseg_core.errors import MedDisSegError


class StateCorruptError(MedDisSegError):
    """A state file (database, mask, proposal) is damaged; it is left untouched on disk.

    The UI can offer :func:`meddisseg_studio.state.store.quarantine_and_reset` on ``path``.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class SaveError(MedDisSegError):
    """A mask or state change could not be written; the in-memory data is kept."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"cannot save {self.path}: {reason}")


class UnknownImageError(MedDisSegError, KeyError):
    """A key does not name an image of the project."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"no image {key!r} in this project")

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return self.args[0]


class StateVersionError(MedDisSegError):
    """The state folder was written by a newer Med-DisSeg Studio; it is left untouched."""
