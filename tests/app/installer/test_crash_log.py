"""An uncaught exception writes a crash log (versions + traceback) and the dialog is given its path."""

from __future__ import annotations

import sys
from pathlib import Path

from meddisseg_studio import __version__, crash


def _raise_inside_a_slot() -> None:
    raise ValueError("mask of shape (3, 4) does not fit image 5x6")


def test_uncaught_exception_writes_crash_log_and_shows_its_path(user_home: Path) -> None:
    shown: list[tuple[str, Path | None]] = []
    guard = crash.CrashGuard(
        crash.writable_log_dir(), show=lambda text, path, parent: shown.append((text, path))
    )
    try:
        try:
            _raise_inside_a_slot()
        except ValueError:
            sys.excepthook(*sys.exc_info())  # what PySide6 does with an exception escaping a slot
    finally:
        guard.close()

    logs = sorted((user_home / "logs").glob("crash-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text(encoding="utf-8")
    assert f"meddisseg-studio {__version__}" in text
    assert "_raise_inside_a_slot" in text  # the traceback, not just the message
    assert "ValueError: mask of shape (3, 4) does not fit image 5x6" in text
    assert shown == [("Unexpected error: ValueError: mask of shape (3, 4) does not fit image 5x6", logs[0])]
    assert sys.excepthook is not guard.handle  # close() put the previous hook back


def test_application_log_goes_to_the_user_log_folder(user_home: Path) -> None:
    guard = crash.install()
    try:
        crash.log.warning("written to the log file: %s", "marker-7f3a")
    finally:
        guard.close()
    assert "marker-7f3a" in (user_home / "logs" / crash.LOG_NAME).read_text(encoding="utf-8")
