"""The action boundary: every user command runs behind :func:`guarded`.

Deliberate errors (``MedDisSegError``) become a clear message; a failed save and damaged state
get their own recovery offers; anything unexpected is logged with its traceback and reported,
and the app keeps running. One :class:`ErrorReporter` serves every controller, so one place
decides what the user sees.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.state.errors import SaveError, StaleRecordError, StateCorruptError

from .dialogs import Dialogs

log = logging.getLogger("meddisseg_studio")

P = ParamSpec("P")
R = TypeVar("R")


class ErrorReporter(QObject):
    """Shows errors (status bar line + dialog) and offers the recovery that fits them.

    ``rescue_save`` (offered after a failed save) and ``quarantine`` (offered for damaged state)
    are installed by the workspace, which knows the open folder.
    """

    message = Signal(str)

    def __init__(self, dialogs: Dialogs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialogs = dialogs
        self.last_error: tuple[str, str] | None = None
        self.rescue_save: Callable[[], None] | None = None
        self.quarantine: Callable[[Path], None] | None = None
        self.record_conflict: Callable[[StaleRecordError], list[Path]] | None = None

    def report(self, exc: BaseException, what: str) -> None:
        """Route one exception raised while trying to ``what`` to the matching handler."""
        if isinstance(exc, StaleRecordError):
            self.stale_record(exc)
        elif isinstance(exc, SaveError):
            self.save_failed(exc)
        elif isinstance(exc, StateCorruptError):
            self.state_corrupt(exc)
        elif isinstance(exc, MedDisSegError):
            log.warning("%s: %s", what, exc)
            self.error(f"Cannot {what}", str(exc))
        else:
            log.exception("unexpected error during %s", what, exc_info=exc)
            self.error(
                "Unexpected error",
                f"{what} failed: {type(exc).__name__}: {exc}\n\n"
                "The details were written to the log; your saved work is unaffected.",
            )

    def error(self, title: str, text: str) -> None:
        self.last_error = (title, text)
        self.message.emit(text.splitlines()[0])
        self.dialogs.error(title, text)

    def save_failed(self, exc: SaveError) -> None:
        self.last_error = ("Cannot save", str(exc))
        self.message.emit(f"NOT SAVED: {exc}")
        text = (
            f"{exc}\n\nYour edits are kept in memory but are not on disk. The folder may be read-only "
            "or the disk full. Choose another folder to keep the annotation state in?"
        )
        if self.rescue_save is not None and self.dialogs.confirm(
            "Cannot save", text, "Choose another folder…", "Not now"
        ):
            self.rescue_save()

    def stale_record(self, exc: StaleRecordError) -> None:
        """Another copy changed the image: show theirs, then say where the refused change is kept."""
        self.message.emit(f"NOT SAVED (changed elsewhere): {exc.key}")
        more = self.record_conflict(exc) if self.record_conflict is not None else []
        also = "".join(f"\nYour mask edits queued after it are kept in {path}." for path in more)
        self.error(
            "Changed by another copy",
            f"{exc}{also}\n\nThe image now shows the stored version. Compare, and redo your change "
            "if it is still needed.",
        )

    def state_corrupt(self, exc: StateCorruptError) -> None:
        self.last_error = ("Damaged state", str(exc))
        self.message.emit(f"Damaged state: {exc}")
        text = (
            f"{exc}\n\nThe damaged file is left untouched. Move it to a quarantine folder and start "
            "fresh state for it? (Nothing is deleted.)"
        )
        if self.quarantine is not None and self.dialogs.confirm(
            "Damaged state", text, "Quarantine", "Leave it"
        ):
            self.quarantine(exc.path)


class Guarded(Protocol):
    """A controller whose commands are guarded: it reports through ``errors``."""

    errors: ErrorReporter


G = TypeVar("G", bound=Guarded)


def guarded(what: str) -> Callable[[Callable[Concatenate[G, P], R]], Callable[Concatenate[G, P], R | None]]:
    """Decorate a controller method: an exception is reported (``what`` names the action), never raised.

    The method then returns None.
    """

    def decorate(method: Callable[Concatenate[G, P], R]) -> Callable[Concatenate[G, P], R | None]:
        @functools.wraps(method)
        def wrapper(self: G, *args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return method(self, *args, **kwargs)
            except Exception as exc:
                self.errors.report(exc, what)
                return None

        return wrapper

    return decorate
