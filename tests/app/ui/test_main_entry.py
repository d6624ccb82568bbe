"""`meddisseg-studio FOLDER` starts the app with the folder open and returns Qt's exit code."""

from __future__ import annotations

from pathlib import Path

from meddisseg_studio.main import main, parse_args
from meddisseg_studio.main_window import MainWindow
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui_support import N_KVASIR


def test_parse_args() -> None:
    args = parse_args(["images", "--state-dir", "elsewhere"])
    assert args.folder == Path("images") and args.state_dir == Path("elsewhere")
    assert parse_args([]).folder is None


def test_main_opens_folder_and_exits(qtbot, image_folder: Path) -> None:
    seen: dict[str, int] = {}

    def inspect_and_quit() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        assert len(windows) == 1
        seen["rows"] = windows[0].image_list.model.rowCount()
        windows[0].close()
        QApplication.instance().quit()

    QTimer.singleShot(0, inspect_and_quit)
    assert main([str(image_folder)]) == 0
    assert seen["rows"] == N_KVASIR + 1
