"""Entry point of ``meddisseg-studio [FOLDER]``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, crash
from .workers.threads import passive_openmp_wait


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="meddisseg-studio", description="Annotate and review segmentation masks."
    )
    parser.add_argument("folder", nargs="?", type=Path, help="folder of images to open")
    parser.add_argument("--state-dir", type=Path, default=None, help="keep the annotation state here")
    parser.add_argument("--checkpoint", type=Path, default=None, help="model weights (.safetensors or .pth)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--self-test", action="store_true", help="check this installation offline, then exit")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["export"], ["import"]):  # headless commands, before anything imports Qt
        from .headless import main as headless_main

        return headless_main(argv)
    args = parse_args(argv)
    if args.self_test:
        from .selftest import run_self_test

        return run_self_test(args.checkpoint)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Uncaught errors write a crash log and show its path, also during start-up (see crash.py).
    guard = crash.install()
    from .qt_platform import check_qt, display_problem

    # Missing system libraries, or a DISPLAY where no X server answers: Qt itself would abort with a
    # misleading message ("xcb-cursor0 is needed") and leave a hard-crash note for the next start.
    problem = check_qt() or display_problem()
    if problem:
        print(problem, file=sys.stderr)
        guard.close()
        return 1
    # Before torch loads: idle OpenMP threads sleep instead of spinning on the cores the GUI and a
    # fine-tuning run need (see workers/threads.py).
    passive_openmp_wait()
    # Qt is imported only now, so `--help` and `--version` work without a display.
    from PySide6.QtWidgets import QApplication

    from . import deferred_imports

    # numpy and OpenCV load right after the first paint instead of before it (see deferred_imports).
    deferred = deferred_imports.defer()
    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Med-DisSeg Studio")
    app.setOrganizationName("Med-DisSeg")
    # Nothing here imports torch or pyqtgraph: the window is painted first; then the model loads on
    # a background thread and the canvas module is imported on another (see MainWindow.after_first_paint).
    window = MainWindow(load_default_model=args.checkpoint is None)
    guard.attach(window)
    # First after the paint, on this thread, before any background thread can touch them.
    window.after_first_paint(lambda: deferred_imports.finish(deferred))
    window.show()
    if args.checkpoint is not None:
        checkpoint = args.checkpoint
        window.after_first_paint(lambda: window.proposals.load_checkpoint(checkpoint))
    if args.folder is not None:
        # Also after the first paint: listing and decoding the first image need not delay the window.
        folder, state_dir = args.folder, args.state_dir
        window.after_first_paint(lambda: window.open_folder(folder, state_dir))
    try:
        return int(app.exec())
    finally:
        guard.close()
