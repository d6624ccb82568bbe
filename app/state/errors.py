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


class StateLockedError(MedDisSegError):
    """Another process holds the state database (a write lock); nothing was changed.

    Not damage: the UI offers to open the folder read-only instead (``Project.open(...,
    read_only=True)``), never to move the file aside.
    """

    def __init__(self, path: Path | str, detail: str = "database is locked") -> None:
        self.path = Path(path)
        self.reason = detail
        super().__init__(
            f"{self.path.parent}: another program (or another copy of Med-DisSeg Studio) has this "
            f"folder's annotation state open and is writing to it ({detail}). Close the other program and "
            "try again, or open the folder read-only to look at it."
        )


class StateUnavailableError(MedDisSegError):
    """The state database cannot be opened here (permissions, I/O), but is not known to be damaged."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(
            f"{self.path}: cannot open the annotation state ({reason}); the file is left as it is"
        )


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


class SchemaError(MedDisSegError):
    """A findings schema file cannot be used (unknown key, bad type, bad choice list)."""

    def __init__(self, source: Path | str, reason: str) -> None:
        self.source = str(source)
        self.reason = reason
        super().__init__(f"{self.source}: {reason}")


class FindingValueError(MedDisSegError, ValueError):
    """A value for a lesion attribute does not fit the schema; nothing was stored."""

    def __init__(self, attribute: str, value: object, reason: str) -> None:
        self.attribute = attribute
        self.value = value
        self.reason = reason
        super().__init__(f"{attribute}: {value!r} is not accepted ({reason}); the value was not stored")
