"""The crash dialog names the crash log; a storm of errors opens a bounded number of dialogs."""

from __future__ import annotations

from pathlib import Path

from meddisseg_studio import crash


def test_dialog_text_names_the_crash_log(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "logs" / "crash-20250101-120000-42.log"
    box = crash.crash_dialog("Unexpected error: KeyError: 'stem'", path)
    qtbot.addWidget(box)
    assert box.text() == "Unexpected error: KeyError: 'stem'"
    assert str(path) in box.informativeText()


def test_repeated_errors_open_at_most_max_dialogs(user_home: Path) -> None:
    shown: list[str] = []
    guard = crash.CrashGuard(crash.writable_log_dir(), show=lambda text, path, parent: shown.append(text))
    try:
        for index in range(crash.MAX_DIALOGS + 4):
            try:
                raise RuntimeError(f"paint failed {index}")
            except RuntimeError as exc:
                guard.handle(RuntimeError, exc, exc.__traceback__)
    finally:
        guard.close()
    assert len(shown) == crash.MAX_DIALOGS
    assert len(list((user_home / "logs").glob("crash-*.log"))) >= 1  # every error is still logged


def test_an_error_while_the_dialog_is_open_opens_no_second_dialog(user_home: Path) -> None:
    shown: list[str] = []
    guard: crash.CrashGuard

    def show(text: str, path: Path | None, parent: object) -> None:
        shown.append(text)
        try:  # the dialog's own event loop runs a slot that fails again
            raise OSError("disk full")
        except OSError as exc:
            guard.handle(OSError, exc, exc.__traceback__)

    guard = crash.CrashGuard(crash.writable_log_dir(), show=show)
    try:
        try:
            raise KeyError("stem")
        except KeyError as exc:
            guard.handle(KeyError, exc, exc.__traceback__)
    finally:
        guard.close()
    assert shown == ["Unexpected error: KeyError: 'stem'"]
