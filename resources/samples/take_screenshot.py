"""Render docs/screenshot.png: the main window on synthetic samples with a proposal shown.

Run under a real X server or Xvfb: ``xvfb-run -s "-screen 0 1600x1000x24" python
resources/samples/take_screenshot.py docs/screenshot.png``. Only synthetic images from
make_samples.py appear. The proposal comes from the shipped default model when one is
installed, else from a demo predictor (the blurred true blob), said in the status bar.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_samples import write_samples


class DemoPredictor:
    """Probability = the true blob mask, blurred; uncertainty peaks at its border."""

    has_uncertainty = True

    def __init__(self, truth_dir: Path) -> None:
        import torch

        from meddisseg_core.inference.device import DeviceReport, cpu_name

        self.truth_dir = truth_dir
        self.device_report = DeviceReport(torch.device("cpu"), cpu_name(), "demo predictor")
        self._by_shape: dict[tuple[int, int], list[np.ndarray]] = {}
        for path in sorted(truth_dir.glob("*.png")):
            truth = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            self._by_shape.setdefault(truth.shape, []).append(truth)

    def predict(self, image: np.ndarray, *, with_uncertainty: bool = False):
        from meddisseg_core.inference import Prediction

        # The samples differ in content; find the truth whose blob is reddest in this image.
        candidates = self._by_shape[image.shape[:2]]
        redness = image[..., 0].astype(np.float32) - image[..., 1]
        truth = max(candidates, key=lambda t: float(redness[t > 0].mean()))
        prob = cv2.GaussianBlur((truth > 0).astype(np.float32), (0, 0), 6)
        unc = 4 * prob * (1 - prob)
        return Prediction(prob, unc if with_uncertainty else None)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from meddisseg_studio.main_window import MainWindow
    from meddisseg_studio.widgets.dialogs import ScriptedDialogs

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "samples"
        write_samples(folder, 6, truth_dir=Path(tmp) / "truth")
        # Default preferences, not this machine's saved ones, so the picture is reproducible.
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(ScriptedDialogs(), load_default_model=False, settings=settings)
        window.resize(1440, 880)
        window.show()
        window.proposals.start_default_model()  # in the background, as at start-up
        while window.proposals.loading:
            app.processEvents()
        if window.proposals.predictor is None:
            window.proposals.set_predictor(DemoPredictor(Path(tmp) / "truth"), "demo (blurred true blob)")
        window.open_folder(folder)
        window.canvas_slot.build()
        window.proposals.propose_unreviewed()
        while window.jobs.busy:
            app.processEvents()
        window.workspace.show_image(window.workspace.project.entries[0].key)
        window.actions["approve"].trigger()
        window.model_panel.set_view_mode("MASK")
        for _ in range(50):
            app.processEvents()
        window.canvas.fit_to_window()
        window.update_summary()
        for _ in range(50):
            app.processEvents()
        window.image_list.thumbnails.wait(5000)
        for _ in range(20):
            app.processEvents()
        screen = window.screen().grabWindow(window.winId()) if window.screen() else window.grab()
        if screen.isNull():
            screen = window.grab()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        ok = screen.save(str(args.out))
        window.close()
    print(args.out if ok else "failed to save")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
