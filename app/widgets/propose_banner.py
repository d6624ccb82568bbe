"""A banner above the canvas that offers the one thing a new folder needs first: proposals.

On a first open nothing proposes by itself, and the command sits in the Model menu; this says how
many images wait and runs "Propose all" with one button. It hides while a job runs, once every
image has a proposal from the model in use, or when closed (for the rest of that folder's session).
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton


class ProposeBanner(QFrame):
    proposeRequested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("propose_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#propose_banner { background: palette(alternate-base); }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton("Propose all")
        self.button.setDefault(True)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Hide this offer (Model > Propose all unreviewed does the same)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.close_button)
        self._dismissed = False
        self.button.clicked.connect(self._on_propose)
        self.close_button.clicked.connect(self._on_close)
        self.hide()

    def offer(self, count: int, model: str) -> None:
        """Offer proposals for ``count`` images (0: nothing to offer, hide)."""
        if count <= 0 or self._dismissed:
            self.hide()
            return
        self.text.setText(f"{count} image(s) have no proposal from {model} yet.")
        self.button.setText(f"Propose {count} image(s)")
        self.show()

    def reset(self) -> None:
        """A new folder: offer again even if the last folder's offer was closed."""
        self._dismissed = False

    def _on_propose(self) -> None:
        self.hide()
        self.proposeRequested.emit()

    def _on_close(self) -> None:
        self._dismissed = True
        self.hide()
