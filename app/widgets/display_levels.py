"""Display brightness/contrast (window/level) control: how the image is shown, never what the model sees.

Two sliders (brightness = the window's level, contrast = its width), "Auto" (stretch this
image's 1st..99th percentile) and "Reset". The logic is ``state.display.DisplayLevels``; this
widget only reads and shows it. The setting is global: it stays while moving through images.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt and the canvas contract

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QPushButton, QSlider, QWidget

from ..state.display import DisplayLevels

_STEPS = 100  # slider units per unit of brightness or contrast (-1..1)
_TIP = "Display only: proposals always use the image's original pixels"


class DisplayLevelsPanel(QGroupBox):
    """Emits ``levelsChanged(DisplayLevels)`` when the user moves a slider or presses Reset,
    and ``autoRequested`` for Auto (the canvas knows the image; it answers with ``show_levels``)."""

    levelsChanged = Signal(object)
    autoRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Display", parent)
        self.setToolTip(_TIP)
        self.brightness = self._slider("Brightness (window level): drag right to brighten")
        self.contrast = self._slider("Contrast (window width): drag right for more contrast")
        self.auto_button = QPushButton("Auto")
        self.auto_button.setToolTip("Stretch this image's brightness range to the screen. " + _TIP)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Show the image as it is")
        buttons = QHBoxLayout()
        buttons.addWidget(self.auto_button)
        buttons.addWidget(self.reset_button)
        form = QFormLayout(self)
        form.addRow("Brightness", self.brightness)
        form.addRow("Contrast", self.contrast)
        form.addRow(buttons)
        self._levels = DisplayLevels()
        # Redrawing a 4096² image takes tens of ms: coalesce a drag into a few redraws.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(30)
        self._debounce.timeout.connect(self._emit_sliders)
        self.brightness.valueChanged.connect(lambda _v: self._debounce.start())
        self.contrast.valueChanged.connect(lambda _v: self._debounce.start())
        self.auto_button.clicked.connect(lambda _checked=False: self.autoRequested.emit())
        self.reset_button.clicked.connect(lambda _checked=False: self.set_levels(DisplayLevels()))

    def _slider(self, tip: str) -> QSlider:
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(-_STEPS, _STEPS)
        slider.setValue(0)
        slider.setToolTip(f"{tip}. {_TIP}")
        return slider

    @property
    def levels(self) -> DisplayLevels:
        return self._levels

    def set_levels(self, levels: DisplayLevels) -> None:
        """Show ``levels`` and emit ``levelsChanged`` (Reset, or a restored preference)."""
        self.show_levels(levels)
        self.levelsChanged.emit(levels)

    def show_levels(self, levels: DisplayLevels) -> None:
        """Move the sliders to ``levels`` without emitting (e.g. after Auto)."""
        self._debounce.stop()
        self._levels = levels
        for slider, value in ((self.brightness, levels.brightness), (self.contrast, levels.contrast)):
            slider.blockSignals(True)
            slider.setValue(round(value * _STEPS))
            slider.blockSignals(False)

    def flush(self) -> None:
        """Emit a pending slider change now (tests, and before the window closes)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self._emit_sliders()

    def _emit_sliders(self) -> None:
        self._levels = DisplayLevels.from_brightness_contrast(
            self.brightness.value() / _STEPS, self.contrast.value() / _STEPS
        )
        self.levelsChanged.emit(self._levels)
