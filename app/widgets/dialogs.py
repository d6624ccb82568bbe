"""Every question the app asks the user, behind one small object.

The window and the control layer never call QFileDialog/QMessageBox directly: they call a
``Dialogs`` method (the control layer knows only the protocol in ``control/dialogs.py``). Tests
swap in a scripted subclass, so no modal dialog ever blocks a test, and the questions asked are
themselves checkable.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

CHECKPOINT_FILTER = "Checkpoints (*.safetensors *.pth *.pt);;All files (*)"


class Dialogs:
    """Real, modal dialogs parented to ``parent``."""

    def __init__(self, parent: QWidget | None) -> None:
        self.parent = parent

    def choose_folder(self, title: str, start: Path | None = None) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self.parent, title, str(start or ""))
        return Path(chosen) if chosen else None

    def choose_file(self, title: str, file_filter: str = CHECKPOINT_FILTER) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(self.parent, title, "", file_filter)
        return Path(chosen) if chosen else None

    def ask_reason(self, title: str, prompt: str) -> str | None:
        """Free text (a reject reason); None when the user cancels."""
        text, ok = QInputDialog.getText(self.parent, title, prompt)
        return text.strip() if ok else None

    def ask_reject_reason(self, key: str, reasons: Sequence[str]) -> str | None:
        """A reason from the pick-list (or typed under "other…"); None when the user cancels."""
        from .reject_dialog import RejectDialog

        return RejectDialog.ask(key, reasons, self.parent)

    def confirm(self, title: str, text: str, accept: str, reject: str = "Cancel") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent)
        yes = box.addButton(accept, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(reject, QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes

    def choose_export(self, start: Path | None = None, note: str = "") -> tuple[list[str], Path] | None:
        """Formats and destination folder from the Export dialog; None when cancelled."""
        from .export_dialog import ExportDialog

        dialog = ExportDialog(start, parent=self.parent, note=note)
        if not dialog.exec() or dialog.destination() is None or not dialog.formats():
            return None
        return dialog.formats(), dialog.destination()  # type: ignore[return-value]

    def choose_colour(self, title: str, initial: QColor) -> QColor | None:
        """A colour from the colour picker; None when the user cancels."""
        colour = QColorDialog.getColor(initial, self.parent, title)
        return colour if colour.isValid() else None

    def error(self, title: str, text: str) -> None:
        QMessageBox.critical(self.parent, title, text)

    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)


class ScriptedDialogs(Dialogs):
    """Answers from queues instead of asking; records every message. For tests and headless use."""

    def __init__(self) -> None:
        super().__init__(None)
        self.folders: list[Path | None] = []
        self.files: list[Path | None] = []
        self.reasons: list[str | None] = []
        self.confirmations: list[bool] = []
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.asked: list[str] = []
        self.exports: list[tuple[list[str], Path] | None] = []
        self.export_offers: list[tuple[Path | None, str]] = []  # (suggested folder, note) per dialog
        self.colours: list[QColor | None] = []
        self.offered_reasons: tuple[str, ...] = ()  # the pick-list the last reject offered

    def choose_folder(self, title: str, start: Path | None = None) -> Path | None:
        self.asked.append(title)
        return self.folders.pop(0) if self.folders else None

    def choose_file(self, title: str, file_filter: str = CHECKPOINT_FILTER) -> Path | None:
        self.asked.append(title)
        return self.files.pop(0) if self.files else None

    def ask_reason(self, title: str, prompt: str) -> str | None:
        self.asked.append(title)
        return self.reasons.pop(0) if self.reasons else None

    def ask_reject_reason(self, key: str, reasons: Sequence[str]) -> str | None:
        self.asked.append(f"Reject image: {key}")
        self.offered_reasons = tuple(reasons)
        return self.reasons.pop(0) if self.reasons else None

    def confirm(self, title: str, text: str, accept: str, reject: str = "Cancel") -> bool:
        self.asked.append(f"{title}: {text}")
        return self.confirmations.pop(0) if self.confirmations else False

    def choose_export(self, start: Path | None = None, note: str = "") -> tuple[list[str], Path] | None:
        self.asked.append("Export")
        self.export_offers.append((start, note))
        return self.exports.pop(0) if self.exports else None

    def choose_colour(self, title: str, initial: QColor) -> QColor | None:
        self.asked.append(title)
        return self.colours.pop(0) if self.colours else None

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def info(self, title: str, text: str) -> None:
        self.infos.append((title, text))
