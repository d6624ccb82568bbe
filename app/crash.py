"""The app never just vanishes: a log file, a crash log per uncaught error, and a dialog naming it.

:func:`install` (called by ``main`` before Qt starts) sets up, in :func:`meddisseg_core.paths.user_log_dir`:

- ``meddisseg-studio.log``: the application log (rotated);
- ``crash-<time>-<pid>.log``: one per uncaught exception, with the versions and the traceback. Its
  path is shown in a dialog (or printed, before Qt is up). A Qt slot that raises does not end the
  app; an error during start-up ends it after the dialog;
- ``fault-<pid>.log``: ``faulthandler``'s output for hard crashes (segfault, abort), which no Python
  handler can catch. A clean exit deletes it; the next start keeps a non-empty one as
  ``crash-...-hard.log`` and says so in the status bar.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import logging.handlers
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING

from meddisseg_core.atomic import atomic_write_text
from meddisseg_core.paths import user_log_dir

from . import __version__

if TYPE_CHECKING:  # Qt is imported only once the app starts it (see main.py)
    from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

LOG_NAME = "meddisseg-studio.log"
MAX_DIALOGS = 3  # an error repeating in a paint handler must not bury the user in dialogs
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
log = logging.getLogger("meddisseg_studio")


def writable_log_dir(preferred: Path | None = None) -> Path:
    """The per-user log folder, or a temporary one when that cannot be created (read-only home)."""
    for folder in (preferred or user_log_dir(), Path(tempfile.gettempdir()) / "meddisseg-studio-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    raise OSError(f"no writable folder for logs (tried {preferred or user_log_dir()})")


def crash_report(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """What a developer needs from a user's crash: when, which build, where, and the traceback."""
    kind_of_install = "bundle" if getattr(sys, "frozen", False) else "python"
    header = [
        f"time: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"meddisseg-studio {__version__} ({kind_of_install} {sys.executable})",
        f"python {platform.python_version()} on {platform.platform()}",
        f"argv: {sys.argv}",
        "",
    ]
    return "\n".join(header) + "".join(traceback.format_exception(kind, exc, tb))


def write_crash_log(info: ExcInfo, log_dir: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = log_dir / f"crash-{stamp}-{os.getpid()}.log"
    atomic_write_text(path, crash_report(*info))
    return path


def crash_dialog(summary: str, path: Path | None, parent: QWidget | None = None) -> QMessageBox:
    """The message box shown for an uncaught error (built here, shown by the caller)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Critical, "Med-DisSeg Studio: unexpected error", summary, parent=parent
    )
    where = f"The details are saved in:\n{path}" if path else "The details could not be saved (see the log)."
    box.setInformativeText(where + "\n\nPlease send this file with your report.")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box


def _show_dialog(summary: str, path: Path | None, parent: QWidget | None) -> None:
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return  # before Qt is up the message on stderr is all we can do
    crash_dialog(summary, path, parent).exec()


def collect_hard_crashes(log_dir: Path) -> list[Path]:
    """Keep the faulthandler dumps of earlier runs that died, as crash logs; drop empty ones."""
    kept = []
    for fault in sorted(log_dir.glob("fault-*.log")):
        pid = fault.stem.removeprefix("fault-")
        if pid.isdigit() and _alive(int(pid)):
            continue  # another instance of the app is running
        with contextlib.suppress(OSError):
            if fault.stat().st_size == 0:
                fault.unlink()
                continue
            stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(fault.stat().st_mtime))
            target = log_dir / f"crash-{stamp}-{pid}-hard.log"
            fault.replace(target)
            kept.append(target)
    return kept


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


class CrashGuard:
    """Installed by :func:`install`; :meth:`close` puts back what was there before."""

    def __init__(
        self, log_dir: Path, show: Callable[[str, Path | None, QWidget | None], None] = _show_dialog
    ) -> None:
        self.log_dir = log_dir
        self.window: QMainWindow | None = None
        self.crash_logs: list[Path] = []
        self.previous_crashes = collect_hard_crashes(log_dir)
        self._show = show
        self._dialogs = 0
        self._in_dialog = False
        self._previous_hook = sys.excepthook
        self._file_handler = logging.handlers.RotatingFileHandler(
            log_dir / LOG_NAME, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
        self._file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger().addHandler(self._file_handler)
        self._fault_path = log_dir / f"fault-{os.getpid()}.log"
        self._fault_was_enabled = faulthandler.is_enabled()
        self._fault_file: IO[str] | None = self._fault_path.open("w", encoding="utf-8")
        faulthandler.enable(self._fault_file, all_threads=True)
        sys.excepthook = self.handle
        for path in self.previous_crashes:
            log.warning("an earlier session ended in a hard crash; its dump: %s", path)

    def attach(self, window: QMainWindow) -> None:
        """Use ``window`` as the dialogs' parent; tell the user about a crash of an earlier session."""
        self.window = window
        if self.previous_crashes:
            window.statusBar().showMessage(
                f"The previous session ended in a crash; its log: {self.previous_crashes[-1]}", 30000
            )

    def handle(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """``sys.excepthook``: log, write the crash log, show where it is."""
        if issubclass(kind, KeyboardInterrupt):
            self._previous_hook(kind, exc, tb)
            return
        log.error("unexpected error", exc_info=(kind, exc, tb))
        path: Path | None = None
        try:
            path = write_crash_log((kind, exc, tb), self.log_dir)
            self.crash_logs.append(path)
        except OSError as write_error:
            log.error("could not write the crash log: %s", write_error)
        summary = f"Unexpected error: {kind.__name__}: {exc}"
        print(f"meddisseg-studio: {summary}\n  details: {path}", file=sys.stderr)
        if self.window is not None:
            with contextlib.suppress(RuntimeError):  # the window may already be deleted
                self.window.statusBar().showMessage(f"{summary} (details: {path})", 15000)
        if self._in_dialog or self._dialogs >= MAX_DIALOGS:
            return
        self._dialogs += 1
        self._in_dialog = True
        try:
            self._show(summary, path, self.window)
        finally:
            self._in_dialog = False

    def close(self) -> None:
        sys.excepthook = self._previous_hook
        logging.getLogger().removeHandler(self._file_handler)
        self._file_handler.close()
        if self._fault_file is not None:
            faulthandler.disable()
            if self._fault_was_enabled:
                faulthandler.enable(sys.__stderr__ or sys.stderr, all_threads=True)
            self._fault_file.close()
            self._fault_file = None
            with contextlib.suppress(OSError):
                if self._fault_path.stat().st_size == 0:
                    self._fault_path.unlink()


def install(log_dir: Path | None = None) -> CrashGuard:
    """Log file, faulthandler and the crash-log excepthook (see the module docstring)."""
    return CrashGuard(writable_log_dir(log_dir))
