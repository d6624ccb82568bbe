"""Fixtures of the model and fine-tuning UI tests.

A folder of 10 small Kvasir-SEG images (their true masks kept aside, for the test to approve
with), an isolated user data folder (the registry), a tiny stage-2 base model registered and
current for the folder, and a main window with scripted dialogs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest
import torch
from finetune_support import N_IMAGES, Setup, wait_model

pytest.importorskip("pytestqt")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Own registry and preferences; child processes inherit one thread each (2 shared cores)."""
    from PySide6.QtCore import QSettings

    monkeypatch.setenv("MEDDISSEG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("MEDDISSEG_MODEL", raising=False)
    settings = tmp_path / "settings"
    settings.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def setup(kvasir_dir: Path, tmp_path: Path) -> Setup:
    from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
    from meddisseg_core.imageio import read_mask
    from meddisseg_core.models import ModelRegistry
    from meddisseg_core.nn import NetworkConfig, build_network

    folder = tmp_path / "colon"
    folder.mkdir()
    names = [n for n in (kvasir_dir / "train.txt").read_text().split() if n][:N_IMAGES]
    truth = {}
    for name in names:
        image = cv2.imread(str(kvasir_dir / "images" / name))
        cv2.imwrite(str(folder / name), cv2.resize(image, (96, 80), interpolation=cv2.INTER_AREA))
        mask = read_mask(kvasir_dir / "masks" / name)
        truth[name] = cv2.resize(mask, (96, 80), interpolation=cv2.INTER_NEAREST)
    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(2))
    base_file = tmp_path / "tiny-base.safetensors"
    save_model(
        base_file, network, ModelMetadata(network.config, InputConvention(size=(64, 64)), name="tiny base")
    )
    registry = ModelRegistry()
    record = registry.add_file(base_file, source="imported")
    registry.set_current(folder, record.id)
    return Setup(folder, truth, record.id, registry.path_of(record))


@pytest.fixture
def dialogs():
    from meddisseg_studio.widgets.dialogs import ScriptedDialogs

    return ScriptedDialogs()


@pytest.fixture
def window(qtbot, dialogs, setup: Setup) -> Iterator:
    from meddisseg_studio.main_window import MainWindow

    win = MainWindow(dialogs, load_default_model=False)
    qtbot.addWidget(win)
    win.resize(1100, 700)
    win.show()
    qtbot.waitExposed(win)
    win.open_folder(setup.folder)
    assert win.workspace.project is not None, dialogs.errors
    wait_model(qtbot, win)  # the folder's remembered model loads in the background
    assert win.models.current is not None, dialogs.errors
    yield win
    win.finetune.shutdown()
    win.close()


@pytest.fixture
def server():
    """The download tests' HTTP server on 127.0.0.1 (tests/core/models/model_server.py)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "core" / "models"))
    try:
        from model_server import ModelServer
    finally:
        sys.path.pop(0)
    with ModelServer() as running:
        yield running
