"""``meddisseg-studio --self-test``: what IT runs after installing, on the installed program itself.

It extends the CLI's installation check (:mod:`meddisseg_core.selftest`: torch imports, the device
and why, the model, the Box/Click refiner, one prediction on an image it makes itself) with what only
the app needs:

- the mask of that prediction saved through the app's project store and read back bit-identical;
- whether CUDA is usable, and the GPU's name;
- the versions of the GUI libraries, and whether Qt's X11 plugin finds its system libraries;
- the main window, built and shown offscreen.

torch is imported (by the core checks) before Qt, the order the bundle uses. Prints one line per
check and ``self-test: OK|FAIL``; the exit status is 1 on any FAIL. Needs no network and no display.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import numpy as np

from . import __version__

Result = tuple[str, str]  # (OK | WARN | FAIL, detail)
# The order of the printed lines: what was installed, then where it runs, then what it did.
ORDER = (
    "versions",
    "libraries",
    "device",
    "cuda",
    "model",
    "precision",
    "prompts",
    "prediction",
    "mask",
    "display",
    "window",
)


def versions() -> Result:
    import cv2
    import torch
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    where = f"bundle {Path(sys.executable).parent}" if getattr(sys, "frozen", False) else sys.executable
    return "OK", (
        f"meddisseg-studio {__version__}; Python {platform.python_version()} ({where}); "
        f"torch {torch.__version__}; "
        f"PySide6 {pyside_version} (Qt {qVersion()}); numpy {np.__version__}; OpenCV {cv2.__version__}; "
        f"{platform.platform()}"
    )


def cuda_report() -> Result:
    import torch

    if torch.version.cuda is None:
        return "OK", f"not available: this torch ({torch.__version__}) is the CPU build"
    if not torch.cuda.is_available():
        return "WARN", f"torch is built for CUDA {torch.version.cuda} but finds no usable GPU (driver?)"
    names = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return "OK", f"available: CUDA {torch.version.cuda}, GPU {', '.join(names)}"


def mask_round_trip(image: np.ndarray, prediction: object) -> Result:
    """Save the predicted mask through the app's project store and read it back.

    ``prediction`` is ``object`` because the core's ``PredictionCheck`` passes it so; it is
    checked to be a :class:`~meddisseg_core.inference.predictor.Prediction` here.
    """
    import cv2

    from meddisseg_core.inference.predictor import Prediction

    from .state.project import Project

    if not isinstance(prediction, Prediction):
        return "FAIL", f"expected a Prediction from the core's check, got {type(prediction).__name__}"
    mask = (prediction.probability >= 0.5).astype(np.uint8)
    if mask.min() == mask.max():  # a random tiny network may predict one class: add a known shape
        mask[image.shape[0] // 4 : image.shape[0] // 2, image.shape[1] // 5 : image.shape[1] // 3] ^= 1
    with tempfile.TemporaryDirectory(prefix="meddisseg-selftest-") as tmp:
        folder = Path(tmp) / "images"
        folder.mkdir()
        ok, png = cv2.imencode(".png", cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        if not ok:
            return "FAIL", "OpenCV could not encode the synthetic image"
        (folder / "selftest.png").write_bytes(png.tobytes())
        project = Project.open(folder, Path(tmp) / "state")
        try:
            saved = project.save_mask("selftest.png", mask)
            back = project.load_mask("selftest.png")
        finally:
            project.close()
        if back is None or back.dtype != mask.dtype or not np.array_equal(back, mask):
            return "FAIL", f"the mask read back from {saved.name} differs from the one written"
    return (
        "OK",
        f"{mask.shape[1]}x{mask.shape[0]} mask ({int(mask.sum())} px set) saved, read back identical",
    )


# Qt's offscreen plugin has no window manager to pass a window's size limits to: showing any window
# with a minimum size (the main window's layout gives it one) makes QPlatformWindow's default
# propagateSizeHints() print this. It says nothing about the installation, so the check drops it.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


@contextlib.contextmanager
def _without_offscreen_noise() -> Iterator[None]:
    from PySide6.QtCore import qInstallMessageHandler

    previous = None

    def handler(mode: object, context: object, message: str) -> None:
        if message == OFFSCREEN_NOISE:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def window_check() -> Result:
    """Build the main window offscreen (with throw-away settings), show it, paint it."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0], "-platform", "offscreen"])
    with _without_offscreen_noise(), tempfile.TemporaryDirectory(prefix="meddisseg-selftest-") as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(load_default_model=False, settings=settings)
        try:
            window.show()
            app.processEvents()
            picture = window.grab().toImage()
            shown = window.isVisible() and not picture.isNull()
            grid = [(x, y) for x in range(0, picture.width(), 7) for y in range(0, picture.height(), 7)]
            colours = len({picture.pixel(x, y) for x, y in grid})
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
            settings.sync()
    if not shown or colours < 3:
        return "FAIL", f"the main window did not paint (visible={shown}, {colours} colours)"
    return (
        "OK",
        f"main window built and painted on '{app.platformName()}' ({picture.width()}x{picture.height()})",
    )


def display_libraries() -> Result:
    """Qt's X11 plugin and its system libraries (a desktop needs them; a headless check does not)."""
    if not sys.platform.startswith("linux"):
        return "OK", f"not needed on {sys.platform}"
    from .qt_platform import install_command, missing_libraries, plugin_path

    plugin = plugin_path()
    if not plugin.is_file():
        return "FAIL", f"Qt's X11 plugin is not installed: {plugin}"
    missing = missing_libraries(plugin)
    if missing:
        status = "FAIL" if os.environ.get("DISPLAY") else "WARN"
        return (
            status,
            f"the window cannot open on X11: missing {', '.join(missing)}; fix: {install_command(missing)}",
        )
    return "OK", "Qt's X11 plugin finds all its system libraries"


def _attempt(action: Callable[[], Result]) -> Result:
    try:
        return action()
    except Exception as exc:  # the self-test reports everything, it never crashes
        return "FAIL", f"{type(exc).__name__}: {exc}"


def run_self_test(weights: Path | None = None, out: TextIO | None = None) -> int:
    """Run and print every check; 0 when none failed, else 1.

    A windowed program has no stdout: the report then goes to ``selftest.txt`` in the log folder.
    """
    from meddisseg_core.selftest import Check, overall, run_selftest

    if out is None and sys.stdout is None:  # a windowed program (Windows, macOS) has no console
        from .crash import writable_log_dir

        report = writable_log_dir() / "selftest.txt"
        with report.open("w", encoding="utf-8") as stream:
            return run_self_test(weights, stream)
    out = out or sys.stdout
    checks = list(run_selftest(weights, after_prediction=[("mask", mask_round_trip)]))
    for name, action in (
        ("versions", versions),
        ("cuda", cuda_report),
        ("display", display_libraries),
        ("window", window_check),
    ):
        status, detail = _attempt(action)
        checks.append(Check(name, status, detail))
    if not any(c.name == "mask" for c in checks):
        checks.append(Check("mask", "FAIL", "not run: there was no prediction to save"))
    checks.sort(key=lambda c: ORDER.index(c.name) if c.name in ORDER else len(ORDER))
    for check in checks:
        print(f"{check.status:<4}  {check.name:<10}  {check.detail}", file=out)
    result = overall(checks)
    print(f"self-test: {result}", file=out)
    return 0 if result == "OK" else 1
