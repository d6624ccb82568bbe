"""The main window renders offscreen (image, proposal overlay, panels) into a non-blank PNG."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage
from ui_support import wait_idle


def _as_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    return data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3].reshape(
        image.height(), image.width(), 3
    )


def test_window_grab_is_not_blank(qtbot, opened, constant_predictor, tmp_path: Path) -> None:
    opened.proposals.set_predictor(constant_predictor, "constant")
    opened.actions["propose_current"].trigger()
    wait_idle(qtbot, opened)
    opened.canvas.fit_to_window()
    qtbot.wait(10)
    path = tmp_path / "window.png"
    assert opened.grab().save(str(path))

    pixels = _as_array(QImage(str(path))).astype(np.float32)
    assert pixels.shape[0] > 300 and pixels.shape[1] > 500
    assert pixels.var() > 200.0  # a blank or single-colour window is ~0
    # The canvas part holds the picture and the green mask overlay, not just widget grey.
    canvas = _as_array(opened.canvas.grab().toImage()).astype(np.float32)
    assert canvas.var() > 200.0
    greenish = (canvas[..., 1] > canvas[..., 0] + 20).mean()
    assert greenish > 0.005
