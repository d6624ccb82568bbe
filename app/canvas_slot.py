"""The central area of the window: the workspace's image on the canvas, or a placeholder.

The canvas is built on pyqtgraph, and ``import pyqtgraph`` alone takes about a second. So the
window is shown first with a light placeholder. The first image to show starts
:meth:`CanvasSlot.preload` (through ``defer``: after the window's first paint), which imports the
canvas module on a background thread; the canvas is built (on the GUI thread, as Qt requires) as
soon as that import is done, and shows what the workspace holds then. Anyone who needs the canvas
earlier calls :meth:`build`, which builds it at once (waiting for an import in flight, if any).
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from .control.workspace import Workspace
from .state.model import Proposal

if TYPE_CHECKING:
    from .widgets.canvas import MaskCanvas

log = logging.getLogger(__name__)

CANVAS_MODULE = "meddisseg_studio.widgets.canvas"


class _Relay(QObject):
    """Carries "import finished" from the loader thread to the GUI thread (queued signal)."""

    imported = Signal()


class CanvasSlot(QWidget):
    canvasReady = Signal(object)  # the MaskCanvas, once built and showing the workspace

    def __init__(
        self,
        workspace: Workspace,
        defer: Callable[[Callable[[], object]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._defer = defer
        self._layout = QStackedLayout(self)
        self._placeholder = QLabel("Loading the image viewer…")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._placeholder)
        self.canvas: MaskCanvas | None = None
        self._relay = _Relay(self)
        self._relay.imported.connect(self.build)
        self._loader: threading.Thread | None = None
        workspace.imageShown.connect(self._on_image_shown)
        workspace.imageCleared.connect(self._on_image_cleared)

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
            # The audit log names what made each edit: the tool or operation the canvas ran.
            canvas.editCommitted.connect(lambda edit: self.workspace.apply_edit(edit, canvas.edit_source))
            self.workspace.maskChanged.connect(canvas.refresh_region)
            # Show what arrived while the canvas was being built.
            ws = self.workspace
            if ws.project is not None and ws.key is not None and ws.session is not None:
                self._show(canvas, ws.project.load_image(ws.key), ws.session.mask, ws.proposal)
            else:
                self._clear(canvas)
            self.canvasReady.emit(canvas)
        return self.canvas

    def _on_image_shown(
        self, _key: str, image: np.ndarray, mask: np.ndarray, proposal: Proposal | None
    ) -> None:
        if self.canvas is None:
            self._defer(self.preload)  # shown by build() once the canvas exists
        else:
            self._show(self.canvas, image, mask, proposal)

    def _on_image_cleared(self) -> None:
        if self.canvas is not None:
            self._clear(self.canvas)

    @staticmethod
    def _show(canvas: MaskCanvas, image: np.ndarray, mask: np.ndarray, proposal: Proposal | None) -> None:
        canvas.set_image(image)
        canvas.set_mask(mask)
        canvas.set_probability(None if proposal is None else proposal.probability)
        canvas.set_uncertainty(None if proposal is None else proposal.uncertainty)

    @staticmethod
    def _clear(canvas: MaskCanvas) -> None:
        # A dark placeholder, so the previous image never looks like the (unreadable) current one.
        canvas.set_image(np.full((64, 64, 3), 32, np.uint8))
        canvas.set_mask(None)
        canvas.set_probability(None)
        canvas.set_uncertainty(None)
