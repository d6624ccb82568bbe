"""Errors raised by the project state layer (all derive from MedDisSegError)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from meddisseg_core.errors import MedDisSegError

if TYPE_CHECKING:
    from meddisseg_studio.state.lease import Holder


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


class StateLeasedError(StateLockedError):
    """Another open (another copy of the studio, another computer, this very program) holds the
    folder's writer lease (``<state>/writer.lease``); nothing was changed.

    ``holder`` names it (None when it could not be read); ``stale_reason`` says why it seems to
    have stopped (then ``Project.open(..., take_over=holder)`` may take the folder over, after
    asking), else None. ``taking_over``: another copy is taking a stale lease over right now.
    """

    def __init__(
        self, path: Path | str, holder: Holder | None, stale_reason: str | None, *, taking_over: bool = False
    ) -> None:
        self.path = Path(path)
        self.holder = holder
        self.stale_reason = stale_reason
        self.taking_over = taking_over
        who = holder.describe() if holder is not None else "another copy of Med-DisSeg Studio"
        folder = self.path.parent
        if taking_over:
            text = f"{folder}: {who} is taking this folder over right now. Try again in a moment"
        elif holder is not None and holder.is_this_process():
            text = f"{folder}: this folder is already open for writing in this program ({who})"
        elif stale_reason is not None:
            text = f"{folder}: {who} opened this folder for writing and seems to have stopped"
            text += f" ({stale_reason})"
        else:
            text = f"{folder}: this folder is open for writing by {who}"
        self.reason = text
        MedDisSegError.__init__(
            self, f"{text}. Only one copy may write to a folder at a time; you can open it read-only to look."
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


class StaleRecordError(SaveError):
    """A change of an image's record was based on an older version than the stored one: refused.

    Another copy of the studio wrote the image meanwhile (the lease was bypassed or lost). Nothing
    was overwritten; the refused change is kept in ``rescued`` (a JSON file, with the mask as a PNG
    beside it when the change had one), or ``rescued`` is None and ``rescue_error`` says why not.
    The record stays refused in this copy until it is reloaded (``Project.reload(key)``).
    """

    def __init__(
        self, key: str, based_on: int, stored: int, rescued: Path | None, rescue_error: str | None = None
    ) -> None:
        self.key = key
        self.based_on = based_on
        self.stored = stored
        self.rescued = rescued
        self.rescue_error = rescue_error
        self.path = rescued if rescued is not None else Path(key)
        if rescued is not None:
            kept = f"Your change is kept in {rescued}."
        elif rescue_error is not None:
            kept = f"Your change could not be kept in a file ({rescue_error}); it is still on screen."
        else:
            kept = "Reload the image to see the stored version."
        self.reason = (
            f"{key!r} was changed meanwhile by another copy of the studio (stored version {stored}; this "
            f"change was based on version {based_on}), so it was not saved over that. {kept}"
        )
        MedDisSegError.__init__(self, self.reason)


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
