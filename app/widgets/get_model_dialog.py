"""Four ways to get a model, in one dialog that never leaves the user at a dead end.

1. the shipped default (its card: name and val mDSC), 2. download the authors' Kvasir-SEG
models (progress, speed, cancel; offline: the URL to fetch by hand, next to "Load a file"),
3. load a file, 4. train on the approved images (enabled once enough are approved).
The dialog only shows and asks; :mod:`meddisseg_studio.control.models` does the work.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

_URL = re.compile(r"https?://\S+")


def _box(title: str, *widgets: QWidget | QHBoxLayout) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for widget in widgets:
        if isinstance(widget, QHBoxLayout):
            layout.addLayout(widget)
        else:
            layout.addWidget(widget)
    return box


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


class GetModelDialog(QDialog):
    useShippedRequested = Signal()
    downloadRequested = Signal(str)  # known model name
    cancelDownloadRequested = Signal()
    loadFileRequested = Signal()
    trainRequested = Signal()

    def __init__(
        self,
        shipped_card: str | None,
        downloads: dict[str, str],
        approved: int,
        needed: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Get a model")
        # Wide enough for its messages to read as sentences, not a column of words.
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x" * 64))
        self.intro = QLabel(
            "A model proposes the masks you then correct. Choose one of these ways to get one:"
        )
        self.intro.setWordWrap(True)

        self.shipped_label = QLabel(shipped_card or "No default model ships with this installation.")
        self.shipped_label.setWordWrap(True)
        self.shipped_details = QLabel()  # how the model was made: shown on request (Details)
        self.shipped_details.setWordWrap(True)
        self.shipped_details.setVisible(False)
        self.shipped_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_button = QToolButton()
        self.details_button.setText("Details")
        self.details_button.setCheckable(True)
        self.details_button.setVisible(False)
        self.details_button.toggled.connect(self.shipped_details.setVisible)
        self.use_shipped = QPushButton("Use the shipped model")
        self.use_shipped.setEnabled(shipped_card is not None)

        self.download_choice = QComboBox()
        for name, label in downloads.items():
            self.download_choice.addItem(label, name)
        self.download_button = QPushButton("Download")
        self.cancel_download = QPushButton("Cancel")
        self.cancel_download.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.download_status = QLabel("The authors' released models, trained on Kvasir-SEG (colonoscopy).")
        self.download_status.setWordWrap(True)
        self.download_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # After a failed download: the URL to fetch by hand, whole and easy to copy (a long URL cannot
        # wrap inside a label, and was cut off at the dialog's edge).
        self.manual_url = QLineEdit()
        self.manual_url.setReadOnly(True)
        self.manual_url.setVisible(False)
        self.manual_url.setToolTip("Fetch this address by hand (in a browser), then use 'Load a file'")

        self.load_file = QPushButton("Load a file…")
        self.load_hint = QLabel("Our .safetensors files or the authors' checkpoint1.pth / checkpoint2.pth.")
        self.load_hint.setWordWrap(True)
        # Offline, "Load a file" must sit right next to the message with the URL.
        self.load_file_inline = QPushButton("Load a file…")
        self.load_file_inline.setVisible(False)

        self.train_button = QPushButton("Train on approved images…")
        self.train_hint = QLabel("")
        self.train_hint.setWordWrap(True)
        self.set_approved(approved, needed)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        close = QPushButton("Close")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(
            _box(
                "1. The shipped default",
                self.shipped_label,
                _row(self.use_shipped, self.details_button),
                self.shipped_details,
            )
        )
        layout.addWidget(
            _box(
                "2. Download",
                _row(self.download_choice, self.download_button, self.cancel_download),
                self.progress,
                self.download_status,
                self.manual_url,
                _row(self.load_file_inline),
            )
        )
        layout.addWidget(_box("3. Load a file", _row(self.load_file), self.load_hint))
        layout.addWidget(_box("4. Train on your approved images", _row(self.train_button), self.train_hint))
        layout.addWidget(self.status)
        layout.addLayout(_row(close))

        self.use_shipped.clicked.connect(lambda _c=False: self.useShippedRequested.emit())
        self.download_button.clicked.connect(
            lambda _c=False: self.downloadRequested.emit(self.download_choice.currentData())
        )
        self.cancel_download.clicked.connect(lambda _c=False: self.cancelDownloadRequested.emit())
        self.load_file.clicked.connect(lambda _c=False: self.loadFileRequested.emit())
        self.load_file_inline.clicked.connect(lambda _c=False: self.loadFileRequested.emit())
        self.train_button.clicked.connect(lambda _c=False: self.trainRequested.emit())
        close.clicked.connect(self.reject)

    def set_approved(self, approved: int, needed: int) -> None:
        enough = approved >= needed
        self.train_button.setEnabled(enough)
        self.train_hint.setText(
            f"{approved} image(s) approved: fine-tune (or train) on them in the background."
            if enough
            else f"{approved} of the {needed} approved images needed so far. Approve more, then come back."
        )

    # -- download feedback ------------------------------------------------------------
    def download_started(self) -> None:
        self.download_button.setEnabled(False)
        self.cancel_download.setEnabled(True)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.load_file_inline.setVisible(False)
        self.download_status.setText("Connecting…")

    def download_progress(self, done: int, total: int, bytes_per_s: float) -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * done / total))
            size = f"{done / 1e6:.1f} of {total / 1e6:.1f} MB"
        else:
            size = f"{done / 1e6:.1f} MB"
        self.download_status.setText(f"{size} at {bytes_per_s / 1e6:.2f} MB/s")

    def download_ended(self, text: str, *, failed: bool) -> None:
        self.download_button.setEnabled(True)
        self.cancel_download.setEnabled(False)
        self.progress.setVisible(False)
        found = _URL.search(text) if failed else None
        url = found.group(0).rstrip(".,;)'") if found else ""
        # The URL goes in its own field: a label cannot wrap it and cut it off at the dialog's edge.
        self.download_status.setText(text.replace(url, "the address below") if url else text)
        self.load_file_inline.setVisible(failed)
        self.manual_url.setText(url)
        self.manual_url.setVisible(bool(url))
        self.manual_url.setCursorPosition(0)
        self.fit_to_content()

    def fit_to_content(self) -> None:
        """Grow to show every wrapped line (a long error message was clipped at the default size)."""
        layout = self.layout()
        layout.activate()
        width = max(self.width(), self.minimumWidth())
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else self.sizeHint().height()
        self.resize(width, max(self.height(), needed))

    def set_shipped_details(self, details: str | None) -> None:
        self.shipped_details.setText(details or "")
        self.details_button.setVisible(bool(details))

    def show_status(self, text: str) -> None:
        self.status.setText(text)
