"""Export… : pick the formats (the ``FORMATS`` registry) and the destination folder in one dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..export.formats import FORMATS


class ExportDialog(QDialog):
    """``start``: the suggested destination (beside the image folder; created by the export if it
    does not exist). ``note``: what the export will leave out, shown above the buttons."""

    def __init__(self, start: Path | None = None, parent: QWidget | None = None, note: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.checks: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        for fmt in FORMATS:
            box = QCheckBox(fmt.label)
            box.setToolTip(fmt.description)
            box.setChecked(True)
            self.checks[fmt.name] = box
            layout.addWidget(box)
        row = QHBoxLayout()
        self.folder = QLineEdit(str(start or ""))
        self.folder.setPlaceholderText("Destination folder (created if it does not exist)")
        self.folder.setToolTip("A new folder is created by the export")
        self.folder.setMinimumWidth(self.fontMetrics().horizontalAdvance("x" * 48))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.folder)
        row.addWidget(browse)
        layout.addLayout(row)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        layout.addWidget(self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        # Start at the typed folder or, while it does not exist yet, at the nearest folder that
        # does; the folder dialog can make a new folder there.
        typed = Path(self.folder.text().strip() or ".").expanduser()
        start = next((p for p in (typed, *typed.parents) if p.is_dir()), Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Export to", str(start))
        if chosen:
            self.folder.setText(chosen)

    def formats(self) -> list[str]:
        return [name for name, box in self.checks.items() if box.isChecked()]

    def destination(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text) if text else None
