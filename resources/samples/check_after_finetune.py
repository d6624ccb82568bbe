"""Check that, after a fine-tune has run and the app has restarted, the canvas keeps at least 60 %
of the window's height (issue 19: the restored Jobs dock used to take half of it at 1366x768).

Run under an X server at the screen size to check, with a window manager::

    Xvfb :76 -screen 0 1366x768x24 & DISPLAY=:76 twm &
    DISPLAY=:76 QT_QPA_PLATFORM=xcb python resources/samples/check_after_finetune.py /tmp/after.png

Everything lives in a temporary folder (its own user data folder and settings): synthetic samples
from make_samples.py, a tiny stage-2 network as the current model. The first window approves the
samples with their true masks, runs a real one-epoch fine-tune on the CPU (a child process, as in
the app), keeps the current model, and closes (which saves the layout, the Jobs dock open). A
second process then starts the app again on the same folder and settings, grabs the screen into
the PNG, and prints the canvas's share of the window's height. Exit code 1 if it is under 60 %.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_samples import write_samples

MIN_SHARE = 0.6


def _settle(app, turns: int = 30) -> None:
    for _ in range(turns):
        app.processEvents()


def _wait(app, condition, timeout_s: float = 600.0) -> bool:
    import time

    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            return False
        app.processEvents()
        time.sleep(0.02)
    return True


def first_run(work: Path) -> int:
    """Register a tiny model, approve, fine-tune one epoch, keep the current model, close."""
    import cv2
    import torch
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
    from meddisseg_core.models import ModelRegistry
    from meddisseg_core.nn import NetworkConfig, build_network
    from meddisseg_studio.main_window import MainWindow
    from meddisseg_studio.widgets.dialogs import ScriptedDialogs

    folder, truth = work / "samples", work / "truth"
    write_samples(folder, 8, truth_dir=truth)
    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(2))
    base = work / "tiny.safetensors"
    save_model(base, network, ModelMetadata(network.config, InputConvention(size=(64, 64)), name="tiny base"))
    registry = ModelRegistry()
    registry.set_current(folder, registry.add_file(base, source="imported").id)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ScriptedDialogs(), load_default_model=False, settings=settings)
    window.show()
    _settle(app)
    window.open_folder(folder)
    _wait(app, lambda: not window.proposals.loading and window.models._pending is None, 120)
    project = window.workspace.project
    for entry in project.entries:
        mask = cv2.imread(str(truth / Path(entry.key).with_suffix(".png").name), cv2.IMREAD_GRAYSCALE)
        project.approve(entry.key, mask=(mask > 0).astype("uint8"))
    dialog = window.model_windows.open_finetune_dialog()
    dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
    dialog.epochs.setValue(1)
    dialog.batch.setValue(2)
    dialog.start_button.click()
    if not _wait(app, lambda: window.model_windows.compare_dialog is not None):
        print("the fine-tune did not finish:", window.dialogs.errors)
        return 1
    window.model_windows.compare_dialog.keep.click()
    _settle(app)
    print("first run:", window.jobs_panel.status.text())
    window.close()  # saves the layout, the Jobs dock open
    return 0


def second_run(work: Path, out: Path) -> int:
    """The app again, on the same folder and settings: grab the screen, measure the canvas."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from meddisseg_studio.main_window import MainWindow
    from meddisseg_studio.widgets.dialogs import ScriptedDialogs

    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ScriptedDialogs(), load_default_model=False, settings=settings)
    window.show()
    _settle(app)
    window.open_folder(work / "samples")
    _wait(app, lambda: window.models.current is not None, 120)  # the folder's model, in the background
    window.canvas_slot.build()
    window.workspace.show_image(window.workspace.project.entries[0].key)
    _settle(app, 100)
    window.canvas.fit_to_window()
    window.docks["jobs"].show()  # the last job's record, as a tab of the right column
    window.docks["jobs"].raise_()
    _settle(app, 200)
    screen = window.screen()
    shot = screen.grabWindow(0) if screen is not None else window.grab()
    out.parent.mkdir(parents=True, exist_ok=True)
    shot.save(str(out))
    share = window.canvas_slot.height() / window.height()
    canvas = window.canvas_slot
    size = screen.size()
    print(f"screen {size.width()}x{size.height()}; window {window.width()}x{window.height()}")
    print(f"canvas {canvas.width()}x{canvas.height()}: {share:.0%} of the window's height")
    print("Jobs panel:", window.jobs_panel.title.text())
    window.close()
    return 0 if share >= MIN_SHARE else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path, help="where to save the screenshot (PNG)")
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)  # the second process's folder
    args = parser.parse_args()
    if args.work is not None:
        return second_run(args.work, args.out)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["MEDDISSEG_HOME"] = str(work / "home")  # its own registry, for both processes
        code = first_run(work)
        if code:
            return code
        again = [sys.executable, __file__, str(args.out), "--work", str(work)]
        return subprocess.run(again, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
