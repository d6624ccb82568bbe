"""Per-segment cost of a brush stroke on a 4096×4096 image: ours vs a naive full re-upload.

One segment = what happens for one mouse-move event: stamp the thick line into the mask, update
the overlay, and let Qt paint (``processEvents`` until the overlay item has actually painted).

* ours: ``MaskCanvas`` (numpy stamp on the bounding box, recolour only the dirty rectangle of
  the ARGB32 QImage, ``update(rect)`` on the overlay item);
* naive: the same stamp, then the whole mask recoloured to RGBA and pushed through
  ``pyqtgraph.ImageItem.setImage`` (what a straightforward overlay does).

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_brush.py [--size 4096] [--segments 150]``
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest

from meddisseg_studio.tools import ops
from meddisseg_studio.widgets.canvas import MaskCanvas, ViewMode

RADII = (5, 20, 60)


def machine_name() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"


def stroke_path(centre: float, span: float, count: int, step: float) -> list[tuple[float, float]]:
    """A zig-zag of ``count`` segments of ~``step`` px inside a square of side ``span``."""
    points = []
    left, right = centre - span / 2, centre + span / 2
    x, y, direction = left, centre - span / 2, 1.0
    for _ in range(count + 1):
        points.append((x, y))
        x += direction * step
        if not left <= x <= right:
            direction = -direction
            x += 2 * direction * step
            y += step
            if y > centre + span / 2:
                y = centre - span / 2
    return points


def paint_now(item_painted: Callable[[], int], before: int) -> None:
    """Process events until the overlay has painted (at most a few rounds)."""
    app = QtWidgets.QApplication.instance()
    for _ in range(10):
        app.processEvents()
        if item_painted() > before:
            return
    raise RuntimeError("the overlay never painted: the benchmark would measure nothing")


def summarise(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def bench_ours(
    canvas: MaskCanvas, mask: np.ndarray, radius: int, path: list[tuple[float, float]]
) -> list[float]:
    """Drive the canvas with real mouse events on its viewport (the full interactive path)."""
    mask[:] = 0
    canvas.refresh_region(0, 0, *mask.shape)
    QtWidgets.QApplication.instance().processEvents()
    canvas.set_tool("brush")
    canvas.brush_size = 2 * radius + 1
    viewport = canvas.viewport()
    left, no_mod = QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier.NoModifier
    QTest.mousePress(viewport, left, no_mod, canvas.image_to_viewport(*path[0]))
    times = []
    for point in path[1:]:
        target = canvas.image_to_viewport(*point)
        painted = canvas.overlay.paint_count
        start = time.perf_counter()
        QTest.mouseMove(viewport, target)
        paint_now(lambda: canvas.overlay.paint_count, painted)
        times.append(time.perf_counter() - start)
    QTest.mouseRelease(viewport, left, no_mod, canvas.image_to_viewport(*path[-1]))
    if not mask.any():
        raise RuntimeError("the stroke painted nothing: the benchmark would measure nothing")
    return times


class CountingImageItem(pg.ImageItem):
    paint_count = 0

    def paint(self, painter, *args) -> None:  # type: ignore[override]
        self.paint_count += 1
        super().paint(painter, *args)


def bench_naive(
    canvas: MaskCanvas, mask: np.ndarray, radius: int, path: list[tuple[float, float]]
) -> list[float]:
    mask[:] = 0
    canvas.overlay.setVisible(False)
    item = CountingImageItem(axisOrder="row-major")
    item.setOpacity(0.45)
    item.setZValue(2)
    canvas._vb.addItem(item, ignoreBounds=True)
    lut = np.array([[0, 0, 0, 0], [0, 200, 255, 255]], dtype=np.uint8)
    times = []
    try:
        for p0, p1 in itertools.pairwise(path):
            painted = item.paint_count
            start = time.perf_counter()
            ops.stamp_segment(mask, p0, p1, 2 * radius + 1, 1)
            item.setImage(lut[mask], autoLevels=False, levels=(0, 255))
            paint_now(lambda: item.paint_count, painted)
            times.append(time.perf_counter() - start)
    finally:
        canvas._vb.removeItem(item)
        canvas.overlay.setVisible(True)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=4096, help="image side in pixels")
    parser.add_argument("--segments", type=int, default=150, help="segments per stroke (ours)")
    parser.add_argument("--naive-segments", type=int, default=8, help="segments per stroke (naive)")
    parser.add_argument("--step", type=float, default=24.0, help="segment length in image pixels")
    parser.add_argument("--view", type=int, default=1000, help="canvas widget side in screen pixels")
    args = parser.parse_args(argv)

    if "QT_QPA_PLATFORM" not in os.environ and not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # read when the QApplication is created
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    canvas = MaskCanvas()
    canvas.resize(args.view, args.view)
    canvas.show()
    app.processEvents()
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (args.size, args.size, 3), dtype=np.uint8)
    mask = np.zeros((args.size, args.size), np.uint8)
    canvas.set_image(image)
    canvas.set_mask(mask)
    canvas.set_mask_style(QtGui.QColor(0, 200, 255), 0.45)
    canvas.fit_to_window()
    app.processEvents()

    print(f"machine: {machine_name()}")
    print(
        f"Qt {QtCore.qVersion()} ({app.platformName()}), PySide6, pyqtgraph {pg.__version__}, "
        f"numpy {np.__version__}; image {args.size}x{args.size}, view {args.view}x{args.view} px, "
        f"segment {args.step:g} image px"
    )
    header = (
        f"{'method':<20}{'zoom':<8}{'radius':>7}{'segments':>10}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}"
    )
    print(header)
    print("-" * len(header))
    for radius in RADII:
        rows = []
        canvas.fit_to_window()
        app.processEvents()
        centre = args.size / 2
        path = stroke_path(centre, 0.6 * args.size, args.segments, args.step)
        rows.append(("ours (dirty rect)", "fit", bench_ours(canvas, mask, radius, path)))
        canvas.set_view_mode(ViewMode.OUTLINE)
        rows.append(("ours, outline mode", "fit", bench_ours(canvas, mask, radius, path)))
        canvas.set_view_mode(ViewMode.MASK)
        # 1:1 zoom centred on the stroke: every image pixel is a screen pixel.
        canvas.fit_to_window()
        app.processEvents()
        view = canvas.visible_rect()
        canvas.zoom(view.width() / args.view, QtCore.QPointF(centre, centre))
        app.processEvents()
        near = stroke_path(centre, 0.6 * args.view, args.segments, args.step)
        rows.append(("ours (dirty rect)", "100%", bench_ours(canvas, mask, radius, near)))
        canvas.fit_to_window()
        app.processEvents()
        naive_path = stroke_path(centre, 0.6 * args.size, args.naive_segments, args.step)
        rows.append(("naive setImage", "fit", bench_naive(canvas, mask, radius, naive_path)))
        for name, zoom, times in rows:
            median, p95, worst = (1000 * t for t in summarise(times))
            print(f"{name:<20}{zoom:<8}{radius:>7}{len(times):>10}{median:>11.2f}{p95:>9.2f}{worst:>9.2f}")
    canvas.close()
    # Destroy the Qt objects while the interpreter is intact: leaving them to interpreter
    # shutdown crashed PySide6 6.12 in garbage collection.
    canvas.deleteLater()
    app.processEvents()
    del canvas
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
