"""Before and after a fine-tune, side by side; the user decides which model becomes current.

The default button is the better model (on held-out Dice); a worse new model stays in the
registry but is never made current by default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .table_fit import fit_table_width

if TYPE_CHECKING:
    from ..control.finetune_result import FineTuneResult


class CompareDialog(QDialog):
    """``choice()`` is "new" or "current" after the dialog closes (closing = keep the current)."""

    def __init__(
        self, result: FineTuneResult, current_name: str, new_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fine-tuning finished: before and after")
        before, after, diff = result["before"], result["after"], result["difference"]
        better = bool(result["after_is_better"])
        images = len(result["images"])
        intro = QLabel(
            f"Both models proposed masks for the {images} held-out approved image(s), which were not "
            f"trained on, and were scored against your approved masks ({result['protocol']})."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(2, 3)
        self.table.setHorizontalHeaderLabels([f"current: {current_name}", f"new: {new_name}", "difference"])
        self.table.setVerticalHeaderLabels(["Dice", "IoU"])
        scores = ((before["dice"], after["dice"], diff["dice"]), (before["iou"], after["iou"], diff["iou"]))
        for row, (old, new, gain) in enumerate(scores):
            values = (f"{old:.4f}", f"{new:.4f}", f"{gain:+.4f}")
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        fit_table_width(self.table)  # every column on screen: "new" and "difference" were cut off
        verdict = (
            "The new model is better on the held-out images."
            if better
            else "The new model is not better on the held-out images: keeping the current one is suggested. "
            "The new model stays in the registry (Model > Switch model…)."
        )
        self.verdict = QLabel(verdict)
        self.verdict.setWordWrap(True)
        self.use_new = QPushButton("Use the new model")
        self.keep = QPushButton("Keep the current model")
        self.use_new.clicked.connect(self.accept)
        self.keep.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep)
        buttons.addWidget(self.use_new)
        layout = QVBoxLayout(self)
        for widget in (intro, self.table, self.verdict):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        # Enter picks the better model. Set once the buttons belong to the dialog, which is
        # what makes a default button the dialog's default.
        self.default_button = self.use_new if better else self.keep
        self.default_button.setDefault(True)
        self.default_button.setFocus()

    def choice(self) -> str:
        return "new" if self.result() == QDialog.DialogCode.Accepted else "current"
