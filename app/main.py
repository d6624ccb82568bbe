"""Entry point of ``meddisseg-studio [FOLDER]``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from . import __version__
from .workers.threads import passive_openmp_wait


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="meddisseg-studio", description="Annotate and review segmentation masks."
    )
    parser.add_argument("folder", nargs="?", type=Path, help="folder of images to open")
    parser.add_argument("--state-dir", type=Path, default=None, help="keep the annotation state here")
    parser.add_argument("--checkpoint", type=Path, default=None, help="model weights (.safetensors or .pth)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def _install_excepthook(show: Callable[[str], None]) -> None:
    """Errors escaping a Qt slot are logged with their traceback and shown, never fatal."""
    log = logging.getLogger("meddisseg_studio")

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.error("unexpected error", exc_info=(kind, exc, tb))
        show(f"Unexpected error: {kind.__name__}: {exc} (details in the log)")

    sys.excepthook = hook


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # Before torch loads: idle OpenMP threads sleep instead of spinning on the cores the GUI and a
    # fine-tuning run need (see workers/threads.py).
    passive_openmp_wait()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Qt is imported only now, so `--help` and `--version` work without a display.
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Med-DisSeg Studio")
    app.setOrganizationName("Med-DisSeg")
    # Nothing here imports torch or pyqtgraph: the window is painted first; then the model loads on
    # a background thread and the canvas module is imported on another (see MainWindow.after_first_paint).
    window = MainWindow(load_default_model=args.checkpoint is None)
    previous_hook = sys.excepthook
    _install_excepthook(lambda text: window.statusBar().showMessage(text, 15000))
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
        sys.excepthook = previous_hook
