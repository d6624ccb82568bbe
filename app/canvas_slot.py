"""The central area of the window: a placeholder until the canvas exists.

The canvas is built on pyqtgraph, and ``import pyqtgraph`` alone takes about a second. So the
window is shown first with a light placeholder; :meth:`CanvasSlot.preload` imports the canvas
module on a background thread, and the canvas is built (on the GUI thread, as Qt requires) as
soon as that import is done. Anyone who needs the canvas earlier calls :meth:`build`, which
builds it at once (waiting for an import in flight, if any).
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

if TYPE_CHECKING:
    from .widgets.canvas import MaskCanvas

log = logging.getLogger(__name__)

CANVAS_MODULE = "meddisseg_studio.widgets.canvas"


class _Relay(QObject):
    """Carries "import finished" from the loader thread to the GUI thread (queued signal)."""

    imported = Signal()


class CanvasSlot(QWidget):
    canvasReady = Signal(object)  # the MaskCanvas, once built

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QStackedLayout(self)
        self._placeholder = QLabel("Loading the image viewer…")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._placeholder)
        self.canvas: MaskCanvas | None = None
        self._relay = _Relay(self)
        self._relay.imported.connect(self.build)
        self._loader: threading.Thread | None = None

    @property
    def preloading(self) -> bool:
        """True while the canvas module is being imported in the background."""
        return self.canvas is None and self._loader is not None and self._loader.is_alive()

    def preload(self) -> None:
        """Import the canvas module off the GUI thread; the canvas is built when it is done."""
        if self.canvas is not None or self._loader is not None:
            return

        def load() -> None:
            try:
                importlib.import_module(CANVAS_MODULE)
            except Exception:  # build() imports again on the GUI thread and reports there
                log.exception("background import of the canvas failed")
            with contextlib.suppress(RuntimeError):  # the window closed before the import finished
                self._relay.imported.emit()

        self._loader = threading.Thread(target=load, name="meddisseg-canvas-import", daemon=True)
        self._loader.start()

    def build(self) -> MaskCanvas:
        """The canvas, built now if it does not exist yet."""
        if self.canvas is None:
            module = importlib.import_module(CANVAS_MODULE)
            canvas: MaskCanvas = module.MaskCanvas()
            self.canvas = canvas
            self._layout.addWidget(canvas)
            self._layout.setCurrentWidget(canvas)
            self._placeholder.hide()
            self.setFocusProxy(canvas)
            self.canvasReady.emit(canvas)
        return self.canvas
