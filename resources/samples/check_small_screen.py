"""Check that the window fits a small screen (issue 9: 1366×768) with its status bar in view.

Run under Xvfb (or any X server) at the screen size to check::

    Xvfb :99 -screen 0 1366x768x24 &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb python resources/samples/check_small_screen.py /tmp/small.png

It starts the main window with fresh preferences (as on a first start) on synthetic samples,
keeps a proposal job running (so the status bar shows its progress bar and Cancel button),
grabs the whole screen into the PNG, and checks that the window's frame and every status-bar
widget lie inside the screen's available area. Prints one line per check; exit code 1 if any
fails. No torch: the stand-in model only blocks until the screenshot is taken.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_samples import write_samples


class _CPU:
    type = "cpu"

    def __str__(self) -> str:
        return "cpu"


class WaitingModel:
    """Predicts a flat map, but only once released: keeps the job (and its progress bar) on screen."""

    has_uncertainty = False

    def __init__(self) -> None:
        self.release = threading.Event()
        self.device_report = SimpleNamespace(device=_CPU(), name="stand-in model (no torch)", reason="check")

    def predict(self, image: np.ndarray, *, with_uncertainty: bool = False) -> SimpleNamespace:
        self.release.wait(60)
        return SimpleNamespace(probability=np.zeros(image.shape[:2], np.float32), uncertainty=None)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path, help="where to save the screenshot (PNG)")
    args = parser.parse_args()
    from PySide6.QtCore import QPoint, QRect, QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from meddisseg_studio.main_window import MainWindow
    from meddisseg_studio.widgets.dialogs import ScriptedDialogs

    app = QApplication.instance() or QApplication(sys.argv[:1])

    def settle(turns: int = 40) -> None:
        for _ in range(turns):
            app.processEvents()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "samples"
        write_samples(folder, 6)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(ScriptedDialogs(), load_default_model=False, settings=settings)
        window.show()
        settle()
        window.open_folder(folder)
        window.canvas_slot.build()
        model = WaitingModel()
        window.proposals.set_predictor(model, "stand-in")
        window.proposals.propose_unreviewed()
        settle(200)

        screen = window.screen()
        available = screen.availableGeometry()

        def global_rect(widget: QWidget) -> QRect:
            return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())

        status = window.statusBar()
        checks = {
            f"screen {screen.geometry().width()}x{screen.geometry().height()}, "
            f"available {available.width()}x{available.height()}": True,
            f"window frame {window.frameGeometry().getRect()} inside the available area": available.contains(
                window.frameGeometry()
            ),
            "status bar visible": status.isVisible(),
            f"status bar {global_rect(status).getRect()} inside the screen": available.contains(
                global_rect(status)
            ),
        }
        for name, widget in (
            ("device label", window.device_label),
            ("progress bar", window.progress.bar),
            ("Cancel button", window.progress.cancel),
        ):
            checks[f"{name} shown and inside the screen"] = widget.isVisible() and available.contains(
                global_rect(widget)
            )
        shot = screen.grabWindow(0)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        checks[f"screenshot saved to {args.out}"] = shot.save(str(args.out))
        model.release.set()
        window.jobs.cancel()
        while window.jobs.busy:
            app.processEvents()
        window.close()

    for name, ok in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
