"""Model choice, threshold and view options."""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt and the canvas contract

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
)

from ..settings import Preferences

VIEW_MODES: tuple[tuple[str, str], ...] = (
    ("MASK", "Mask"),
    ("OUTLINE", "Outline"),
    ("PROBABILITY", "Probability"),
    ("UNCERTAINTY", "Uncertainty"),
    ("NONE", "Image only"),
)


class ModelPanel(QGroupBox):
    """Emits ``thresholdChanged`` (debounced while dragging), ``viewModeChanged``, ``opacityChanged``
    and ``colourRequested`` (the colour button was clicked; the window asks for the colour)."""

    thresholdChanged = Signal(float)
    viewModeChanged = Signal(str)
    opacityChanged = Signal(float)
    colourRequested = Signal()

    def __init__(
        self,
        load_default: QAction,
        load_checkpoint: QAction,
        propose: QAction,
        propose_all: QAction | None = None,
    ) -> None:
        super().__init__("Model")
        defaults = Preferences()
        self.model_label = QLabel("No model loaded")
        self.model_label.setWordWrap(True)
        self.device_label = QLabel("Device: –")
        self.device_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for action in (load_default, load_checkpoint):
            button = QToolButton()
            button.setDefaultAction(action)
            buttons.addWidget(button)
        buttons.addStretch(1)
        # Proposing is what a new folder needs first: labelled buttons, not a bare round icon.
        propose_row = QHBoxLayout()
        self.propose_buttons: list[QToolButton] = []
        for action, text in ((propose, "Propose this image"), (propose_all, "Propose all")):
            if action is None:
                continue
            # A button shows its action's icon text (and takes it again whenever the action changes):
            # shorter than the menu's text; the tooltip keeps the full one.
            action.setIconText(text)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            propose_row.addWidget(button)
            self.propose_buttons.append(button)
        self.threshold = QSlider(Qt.Orientation.Horizontal)
        self.threshold.setRange(1, 99)
        self.threshold.setValue(round(defaults.threshold * 100))
        self.threshold.setToolTip("Probability above which a pixel is foreground (Ctrl+[ and Ctrl+] step it)")
        self.threshold_label = QLabel(f"{defaults.threshold:.2f}")
        self.view_mode = QComboBox()
        for name, text in VIEW_MODES:
            self.view_mode.addItem(text, name)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(round(defaults.opacity * 100))
        self.colour_button = QToolButton()
        self.colour_button.setToolTip("Choose the mask colour")
        self.colour_button.setAutoRaise(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.model_label)
        layout.addWidget(self.device_label)
        layout.addLayout(buttons)
        layout.addLayout(propose_row)
        form = QFormLayout()
        thr_row = QHBoxLayout()
        thr_row.addWidget(self.threshold)
        thr_row.addWidget(self.threshold_label)
        form.addRow("Threshold", thr_row)
        form.addRow("Overlay", self.view_mode)
        style_row = QHBoxLayout()
        style_row.addWidget(self.opacity)
        style_row.addWidget(self.colour_button)
        form.addRow("Opacity", style_row)
        layout.addLayout(form)
        # Re-thresholding rewrites (and autosaves) the mask, so coalesce a drag into a few updates.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(40)
        self._debounce.timeout.connect(lambda: self.thresholdChanged.emit(self.threshold_value()))
        self.threshold.valueChanged.connect(self._on_threshold)
        self.view_mode.currentIndexChanged.connect(
            lambda _i: self.viewModeChanged.emit(self.view_mode.currentData())
        )
        self.opacity.valueChanged.connect(lambda v: self.opacityChanged.emit(v / 100.0))
        self.colour_button.clicked.connect(lambda _checked=False: self.colourRequested.emit())

    def threshold_value(self) -> float:
        return self.threshold.value() / 100.0

    def set_threshold(self, value: float, *, emit: bool = True) -> None:
        self.threshold.blockSignals(not emit)
        self.threshold.setValue(round(value * 100))
        self.threshold.blockSignals(False)
        self.threshold_label.setText(f"{self.threshold_value():.2f}")

    def flush(self) -> None:
        """Emit a pending debounced threshold now (tests and shortcut steps use it)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self.thresholdChanged.emit(self.threshold_value())

    def _on_threshold(self, _value: int) -> None:
        self.threshold_label.setText(f"{self.threshold_value():.2f}")
        self._debounce.start()

    def opacity_value(self) -> float:
        return self.opacity.value() / 100.0

    def set_opacity(self, opacity: float) -> None:
        self.opacity.setValue(round(min(max(opacity, 0.0), 1.0) * 100))

    def show_colour(self, colour: QColor) -> None:
        """Paint the colour button as a swatch of the current mask colour."""
        self.colour_button.setStyleSheet(f"background-color: {colour.name()}; min-width: 2em;")
        self.colour_button.setText("")
        self.colour_button.setAccessibleName(f"Mask colour {colour.name()}")

    def set_view_mode(self, name: str) -> None:
        self.view_mode.setCurrentIndex(self.view_mode.findData(name))

    def show_model(self, text: str) -> None:
        self.model_label.setText(text)

    def show_device(self, text: str) -> None:
        self.device_label.setText(f"Device: {text}")
