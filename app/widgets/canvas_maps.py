"""The model's maps on the canvas: heat layer, colour legend and the "no proposal" notice.

Views 3 and 4 (probability, uncertainty) must never show a stale or missing map as if it were
this image's: with no map the heat layer is hidden and a notice over the canvas says why, and
with a map the legend shows the colours of exactly the lookup table the layer uses.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLabel, QWidget

from meddisseg_core.errors import MaskError
from meddisseg_studio.widgets.canvas_layers import HeatLayer, heat_levels, heat_lut
from meddisseg_studio.widgets.canvas_overlay import ViewMode
from meddisseg_studio.widgets.colour_legend import ColourLegend

NO_PROPOSAL = "No proposal for this image"
NO_UNCERTAINTY = "No uncertainty map for this proposal (the model gives none)"
_TITLES = {ViewMode.PROBABILITY: "Probability", ViewMode.UNCERTAINTY: "Uncertainty"}
_MARGIN = 10


class ModelMaps:
    """Holds the probability and uncertainty maps of the shown image and shows the one asked for."""

    def __init__(self, host: QWidget) -> None:
        self.layer = HeatLayer()
        self.legend = ColourLegend(host)
        self.notice = QLabel(host)
        self.notice.setObjectName("canvas_notice")
        self.notice.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.notice.setStyleSheet(
            "QLabel#canvas_notice { background: rgba(20, 20, 20, 200); color: #f5f5f5;"
            " border-radius: 5px; padding: 6px 10px; }"
        )
        self.notice.setVisible(False)
        self._maps: dict[ViewMode, np.ndarray | None] = dict.fromkeys(_TITLES)
        self._mode = ViewMode.MASK

    def get(self, mode: ViewMode) -> np.ndarray | None:
        return self._maps.get(mode)

    def set(self, mode: ViewMode, values: np.ndarray | None, shape: tuple[int, int] | None) -> None:
        """Store ``mode``'s map (None: this image has none); MaskError if it does not fit ``shape``."""
        if values is not None:
            if values.ndim != 2 or (shape is not None and values.shape != shape):
                raise MaskError(f"{mode.value} map of shape {values.shape} does not match the image")
            values = np.asarray(values, dtype=np.float32)
        self._maps[mode] = values
        self._update()

    def clear(self) -> None:
        self._maps = dict.fromkeys(self._maps)
        self._update()

    def show_mode(self, mode: ViewMode) -> None:
        self._mode = mode
        self._update()

    def missing_text(self) -> str | None:
        """What the notice says in the current mode, or None when there is nothing missing."""
        if self._mode not in self._maps or self._maps[self._mode] is not None:
            return None
        if self._mode is ViewMode.UNCERTAINTY and self._maps[ViewMode.PROBABILITY] is not None:
            return NO_UNCERTAINTY
        return NO_PROPOSAL

    def place(self, area: QRect) -> None:
        """Put the notice at the top centre of ``area`` and the legend at its bottom left."""
        self.notice.adjustSize()
        hint = self.notice.sizeHint()
        self.notice.setGeometry(
            area.x() + max(0, (area.width() - hint.width()) // 2),
            area.y() + _MARGIN,
            min(hint.width(), area.width()),
            hint.height(),
        )
        size = self.legend.sizeHint()
        self.legend.setGeometry(
            area.x() + _MARGIN, area.bottom() - size.height() - _MARGIN, size.width(), size.height()
        )

    def _update(self) -> None:
        values = self._maps.get(self._mode)
        self.layer.show_map(values, self._mode)
        if values is not None:
            low, high = heat_levels(self._mode, values)
            self.legend.set_map(_TITLES[self._mode], heat_lut(self._mode), low, high)
        self.legend.setVisible(values is not None)
        self.legend.raise_()
        text = self.missing_text()
        self.notice.setText(text or "")
        self.notice.setVisible(text is not None)
        self.notice.raise_()
        parent = self.notice.parentWidget()
        if parent is not None:
            self.place(parent.rect())
