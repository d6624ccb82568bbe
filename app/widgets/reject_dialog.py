"""Reject with a reason picked from a list: the configured reasons, then "other…" with free text.

Made for speed at the keyboard: the number keys 1..9 pick a reason, Enter confirms, Esc
cancels. "other…" focuses a text field; OK stays disabled until a reason is complete. The
list and its rules live in ``state.reject_reasons`` (no Qt).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..state.reject_reasons import MAX_REASON_LENGTH, OTHER, RejectReasonError, chosen_reason


class RejectDialog(QDialog):
    def __init__(self, key: str, reasons: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reject image")
        prompt = QLabel(f"Why is this image rejected?\n{key}")
        prompt.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.buttons: list[QRadioButton] = []
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        for n, reason in enumerate([*reasons, OTHER], start=1):
            text = f"&{n}  {reason}" if n <= 9 else reason
            button = QRadioButton(text)
            button.setProperty("reason", reason)
            self.group.addButton(button, n)
            self.buttons.append(button)
            layout.addWidget(button)
        self.other_text = QLineEdit()
        self.other_text.setPlaceholderText("Describe the reason")
        self.other_text.setMaxLength(MAX_REASON_LENGTH)
        self.other_text.setEnabled(False)
        layout.addWidget(self.other_text)
        self.box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.box.button(QDialogButtonBox.StandardButton.Ok).setText("Reject")
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        layout.addWidget(self.box)
        self.group.buttonToggled.connect(lambda _button, _on: self._update())
        self.other_text.textChanged.connect(lambda _text: self._update())
        self._update()

    def choice(self) -> str | None:
        button = self.group.checkedButton()
        return None if button is None else str(button.property("reason"))

    def reason(self) -> str | None:
        """The reason to store, or None while the choice is incomplete."""
        choice = self.choice()
        if choice is None:
            return None
        try:
            return chosen_reason(choice, self.other_text.text())
        except RejectReasonError:
            return None

    def pick(self, n: int) -> None:
        """Choose the ``n``-th entry (1-based; the last one is "other…")."""
        if 1 <= n <= len(self.buttons):
            self.buttons[n - 1].setChecked(True)

    def _update(self) -> None:
        other = self.choice() == OTHER
        self.other_text.setEnabled(other)
        if other:
            self.other_text.setFocus()
        self.box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.reason() is not None)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # Digits pick a reason unless the user is typing the free text.
        if not self.other_text.hasFocus() and Qt.Key.Key_1 <= event.key() <= Qt.Key.Key_9:
            self.pick(event.key() - Qt.Key.Key_0)
            return
        super().keyPressEvent(event)

    def accept(self) -> None:
        if self.reason() is not None:
            super().accept()

    @classmethod
    def ask(cls, key: str, reasons: Sequence[str], parent: QWidget | None = None) -> str | None:
        """Show the dialog modally; the reason, or None when cancelled."""
        dialog = cls(key, reasons, parent)
        return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None
