"""Fixtures of the UI tests: a small image folder, a scripted-dialog main window, fake predictors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest
from ui_support import BROKEN, N_KVASIR, ConstantPredictor, save_tiny_model

pytest.importorskip("pytestqt")


@pytest.fixture
def image_folder(tmp_path: Path, kvasir_dir: Path) -> Path:
    """A few real Kvasir images at reduced size (fast), and one corrupt file."""
    folder = tmp_path / "images"
    folder.mkdir()
    for source in sorted((kvasir_dir / "images").glob("*.jpg"))[:N_KVASIR]:
        image = cv2.imread(str(source))
        assert image is not None, source
        cv2.imwrite(str(folder / source.name), cv2.resize(image, (96, 80), interpolation=cv2.INTER_AREA))
    (folder / BROKEN).write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    return folder


@pytest.fixture
def dialogs():
    from meddisseg_studio.widgets.dialogs import ScriptedDialogs

    return ScriptedDialogs()


@pytest.fixture
def window(qtbot, dialogs) -> Iterator:
    from meddisseg_studio.main_window import MainWindow

    win = MainWindow(dialogs, load_default_model=False)
    qtbot.addWidget(win)
    win.resize(1100, 700)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


@pytest.fixture
def opened(window, image_folder: Path):
    window.open_folder(image_folder)
    assert window.workspace.project is not None, window.dialogs.errors
    return window


@pytest.fixture
def constant_predictor() -> ConstantPredictor:
    return ConstantPredictor()


@pytest.fixture
def tiny_checkpoint(tmp_path: Path) -> Path:
    return save_tiny_model(tmp_path / "tiny.safetensors")


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    """Every UI test reads and writes its own preferences file, never the user's."""
    from PySide6.QtCore import QSettings

    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder
