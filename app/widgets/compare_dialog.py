"""Before and after a fine-tune, side by side; the user decides which model becomes current.

The default button is the better model by the verdict: Dice on the held-out images the person
corrected (with enough of them); the ones accepted unedited are shown apart, as a no-regression
check. A worse new model stays in the registry but is never made current by default.
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


def _cells(group: dict, key: str) -> tuple[str, str, str]:
    old, new = group["before"][key], group["after"][key]
    if old is None or new is None:
        return ("–", "–", "–")
    return (f"{old:.4f}", f"{new:.4f}", f"{new - old:+.4f}")


def compare_rows(result: FineTuneResult) -> list[tuple[str, tuple[str, str, str]]]:
    """(row label, (current, new, difference)) of the table: the corrected images first (the
    verdict), then the accepted ones (agreement), then all held-out images together."""
    rows = []
    for name, label in (("corrected", "corrected by you"), ("accepted", "accepted unedited")):
        group = result.get(name)
        if group:
            count = len(group["images"])
            rows.append((f"Dice, {label} ({count})", _cells(group, "dice")))
            if name == "corrected":
                rows.append((f"IoU, {label} ({count})", _cells(group, "iou")))
    every = {"before": result["before"], "after": result["after"]}
    rows.append((f"Dice, all held-out ({len(result['images'])})", _cells(every, "dice")))
    if "corrected" not in result:  # a result written before the groups existed
        rows.append((f"IoU, all held-out ({len(result['images'])})", _cells(every, "iou")))
    return rows


class CompareDialog(QDialog):
    """``choice()`` is "new" or "current" after the dialog closes (closing = keep the current)."""

    def __init__(
        self, result: FineTuneResult, current_name: str, new_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fine-tuning finished: before and after")
        better = bool(result["after_is_better"])
        images = len(result["images"])
        corrected = result.get("corrected")
        count = len(corrected["images"]) if corrected else 0
        intro = QLabel(
            f"Both models proposed masks for the {images} held-out approved image(s), which were not "
            f"trained on. The verdict rests on the {count} of them whose mask you corrected; the ones you "
            f"accepted unedited only check that the new model still agrees with them ({result['protocol']})."
        )
        intro.setWordWrap(True)
        rows = compare_rows(result)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels([f"current: {current_name}", f"new: {new_name}", "difference"])
        self.table.setVerticalHeaderLabels([label for label, _values in rows])
        for row, (_label, values) in enumerate(rows):
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        fit_table_width(self.table)  # every column on screen: "new" and "difference" were cut off
        verdict = result.get("verdict_text") or (
            "The new model is better on the held-out images."
            if better
            else "The new model is not better on the held-out images: keeping the current one is suggested."
        )
        if not better:
            verdict += " The new model stays in the registry (Model > Switch model…)."
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
