"""The status bar names the compute device and says so visibly when CUDA failed and the CPU took over."""

from __future__ import annotations

import torch
from ui_support import ConstantPredictor, wait_idle, wait_loaded

from meddisseg_core.inference.device import DeviceReport


class FallingBackPredictor(ConstantPredictor):
    """Starts on "CUDA"; the first predict fails over to the CPU, as Predictor does on a CUDA error."""

    def __init__(self) -> None:
        self.device_report = DeviceReport(torch.device("cuda", 0), "Test GPU 80GB", "CUDA device is usable")

    def predict(self, image, *, with_uncertainty: bool = False):
        self.device_report = DeviceReport(torch.device("cpu"), "Test CPU", "CUDA error: out of memory")
        return super().predict(image, with_uncertainty=with_uncertainty)


def test_device_named_and_fallback_reported(qtbot, opened) -> None:
    predictor = FallingBackPredictor()
    opened.proposals.set_predictor(predictor, "falls back")
    assert "Test GPU 80GB" in opened.device_label.toolTip()
    opened.actions["propose_current"].trigger()
    wait_idle(qtbot, opened)
    assert "CPU fallback" in opened.device_label.toolTip()
    assert "out of memory" in opened.device_label.toolTip()


def test_no_default_model_says_how_to_load_one(qtbot, window, monkeypatch) -> None:
    import meddisseg_core.inference as inference

    monkeypatch.setattr(inference, "default_model_path", lambda: None)
    window.proposals.start_default_model()  # what the first show does; loads in the background
    wait_loaded(qtbot, window)
    assert "No default model" in window.model_panel.model_label.text()
    assert "cpu" in window.device_label.toolTip().lower()  # the device a model would use is named anyway
    assert window.dialogs.errors == []  # at start-up a missing model is said quietly
    window.actions["load_default_model"].trigger()
    wait_loaded(qtbot, window)
    assert window.dialogs.errors and "no default model" in window.dialogs.errors[-1][1]
