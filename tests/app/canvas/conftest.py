"""A shown MaskCanvas with a 256×256 image and an empty shared mask (offscreen Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest
from PySide6 import QtCore
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui


@dataclass
class CanvasRig:
    canvas: object
    mask: np.ndarray
    qtbot: object
    edits: list = field(default_factory=list)

    def at(self, x: float, y: float) -> QtCore.QPoint:
        return self.canvas.image_to_viewport(x, y)

    def drag(self, points: list[tuple[float, float]], modifier=QtCore.Qt.KeyboardModifier.NoModifier) -> None:
        vp = self.canvas.viewport()
        left = QtCore.Qt.MouseButton.LeftButton
        QTest.mousePress(vp, left, modifier, self.at(*points[0]))
        for p in points[1:]:
            QTest.mouseMove(vp, self.at(*p))
        QTest.mouseRelease(vp, left, modifier, self.at(*points[-1]))

    def click(self, x: float, y: float, modifier=QtCore.Qt.KeyboardModifier.NoModifier) -> None:
        QTest.mouseClick(self.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton, modifier, self.at(x, y))


@pytest.fixture
def rig(qtbot) -> CanvasRig:
    from meddisseg_studio.widgets.canvas import MaskCanvas

    canvas = MaskCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(420, 420)
    canvas.show()
    qtbot.waitExposed(canvas)
    image = np.zeros((256, 256, 3), np.uint8)
    image[:, :, 1] = np.linspace(40, 160, 256, dtype=np.uint8)[None, :]
    mask = np.zeros((256, 256), np.uint8)
    canvas.set_image(image)
    canvas.set_mask(mask)
    canvas.fit_to_window()
    QtCore.QCoreApplication.processEvents()
    r = CanvasRig(canvas, mask, qtbot)
    canvas.editCommitted.connect(r.edits.append)
    return r
