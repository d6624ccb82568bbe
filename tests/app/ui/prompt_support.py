"""Helpers of the Box/Click tests: fake prompt segmenters with known answers, and real mouse input."""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from meddisseg_core.interactive import PromptResult

RADIUS = 6  # the disc a fake click adds or removes
NO_MODIFIER = Qt.KeyboardModifier(0)


def disc(shape: tuple[int, int], x: int, y: int, radius: int = RADIUS) -> np.ndarray:
    yy, xx = np.mgrid[0 : shape[0], 0 : shape[1]]
    return (xx - x) ** 2 + (yy - y) ** 2 <= radius**2


class ShapeSegmenter:
    """A deterministic PromptSegmenter: the newest click adds (positive) or removes a disc around it;
    a box alone replaces the mask inside it by the ellipse it encloses. Records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def segment(self, image, prompts, *, mask=None, probability=None) -> PromptResult:
        self.calls.append((image.shape, prompts, None if mask is None else mask.copy(), probability))
        h, w = image.shape[:2]
        out = np.zeros((h, w), bool) if mask is None else mask.copy()
        if prompts.clicks:
            click = prompts.clicks[-1]
            out[disc((h, w), click.x, click.y)] = click.positive
        elif prompts.box is not None:
            b = prompts.box
            yy, xx = np.mgrid[b.y0 : b.y1, b.x0 : b.x1]
            cy, cx = (b.y0 + b.y1 - 1) / 2, (b.x0 + b.x1 - 1) / 2
            ry, rx = max((b.y1 - b.y0) / 2, 1), max((b.x1 - b.x0) / 2, 1)
            out[b.y0 : b.y1, b.x0 : b.x1] = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1
        return PromptResult(out, None)


class GatedSegmenter(ShapeSegmenter):
    """Waits in ``segment`` until the test calls ``release()`` (a slow model, under the test's control)."""

    def __init__(self) -> None:
        super().__init__()
        self._gate = threading.Semaphore(0)
        self.entered = threading.Event()

    def release(self) -> None:
        self._gate.release()

    def segment(self, image, prompts, *, mask=None, probability=None) -> PromptResult:
        self.entered.set()
        if not self._gate.acquire(timeout=30):
            raise TimeoutError("the test never released the gated segmenter")
        return super().segment(image, prompts, mask=mask, probability=probability)


def use_segmenter(window, segmenter, predictor) -> None:
    """A loaded model (``predictor``) whose prompts ``segmenter`` answers."""
    window.proposals.set_predictor(predictor, "constant")
    window.prompts.segmenter_factory = lambda _predictor: segmenter


def at(window, x: float, y: float) -> QPoint:
    """The viewport point over the centre of image pixel (x, y)."""
    return window.canvas.image_to_viewport(x + 0.5, y + 0.5)


def press(window, x: float, y: float, button=Qt.MouseButton.LeftButton, modifier=NO_MODIFIER) -> None:
    """A real click (press and release) on the canvas viewport over image pixel (x, y)."""
    QTest.mouseClick(window.canvas.viewport(), button, modifier, at(window, x, y))


def drag(window, p0: tuple[float, float], p1: tuple[float, float], steps: int = 4) -> None:
    """A real left drag on the canvas viewport from image pixel ``p0`` to ``p1``."""
    vp, left = window.canvas.viewport(), Qt.MouseButton.LeftButton
    QTest.mousePress(vp, left, NO_MODIFIER, at(window, *p0))
    for i in range(1, steps + 1):
        t = i / steps
        QTest.mouseMove(vp, at(window, p0[0] + t * (p1[0] - p0[0]), p0[1] + t * (p1[1] - p0[1])))
    QTest.mouseRelease(vp, left, NO_MODIFIER, at(window, *p1))


def wait_prompts(qtbot, window, timeout: int = 20_000) -> None:
    """Until no prompt is running or waiting."""
    qtbot.waitUntil(lambda: not window.prompts.busy, timeout=timeout)


def status(window) -> str:
    return window.statusBar().currentMessage()
