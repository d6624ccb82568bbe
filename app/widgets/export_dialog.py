"""Export… : pick the formats (the ``FORMATS`` registry) and the destination folder in one dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..export.formats import FORMATS


class ExportDialog(QDialog):
    def __init__(self, start: Path | None = None, parent: QWidget | None = None) -> None:
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
        self.folder.setPlaceholderText("Destination folder")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.folder)
        row.addWidget(browse)
        layout.addLayout(row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Export to", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def formats(self) -> list[str]:
        return [name for name, box in self.checks.items() if box.isChecked()]

    def destination(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text) if text else None
