"""The fine-tune result dialog's table shows every column: with long model names in the headers, the
"new" and "difference" columns were off screen at the dialog's default width."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QTableWidget, QTableWidgetItem, QVBoxLayout

from meddisseg_studio.widgets.table_fit import fit_table_width


def test_all_columns_fit_in_the_dialog(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    table = QTableWidget(2, 3)
    table.setHorizontalHeaderLabels(
        [
            "current: Kvasir-SEG default (default-7c5f4631)",
            "new: fine-tuned 2026-12-06 05:00 (ft-1a2b3c4d)",
            "difference",
        ]
    )
    table.setVerticalHeaderLabels(["Dice on corrected images", "IoU"])
    for row in range(2):
        for column in range(3):
            table.setItem(row, column, QTableWidgetItem("+0.1234"))
    fit_table_width(table)
    QVBoxLayout(dialog).addWidget(table)
    dialog.show()
    qtbot.waitExposed(dialog)

    assert table.horizontalHeader().length() <= table.viewport().width()
    assert table.verticalHeader().length() <= table.viewport().height()
