"""The History panel: the audit log of the image on screen, oldest first.

One row per recorded step, with its local time, who made it, what it was (approved, rejected
and why, a status change and why, a mask change and the tool, a proposal), the model that
proposed and the mask's sha256 (short; the full record is the row's tooltip). The panel only
shows what it is given: the window reads the log (:meth:`Project.history`) and refreshes it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..state import audit
from ..state.audit import AuditRecord

COLUMNS = ("Time", "User", "Action", "Model", "Mask")  # local time; full record in each row's tooltip
SHORT_HASH = 12


def local_time(iso: str, today: date | None = None) -> str:
    """An ISO 8601 UTC time as local time, short: "14:05:09" today, "2026-12-06 14:05" before
    (the full time is in the row's tooltip); as given if it cannot be read."""
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    if moment.date() == (today or datetime.now().astimezone().date()):
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M")


def describe(record: AuditRecord) -> str:
    """What a row did, in words."""
    d = record.details
    if record.action == audit.APPROVE:
        return "approved"
    if record.action == audit.REJECT:
        return f"rejected: {d.get('reason')}" if d.get("reason") else "rejected"
    if record.action == audit.STATUS:
        text = f"{d.get('from')} → {d.get('to')}"
        return f"{text} ({d['reason']})" if d.get("reason") else text
    if record.action == audit.MASK:
        return f"mask: {d.get('tool', 'edit')}"
    if record.action == audit.PROPOSE:
        return f"proposed (threshold {d['threshold']:.2f})" if "threshold" in d else "proposed"
    return record.action


def model_text(record: AuditRecord) -> str:
    """The proposing model: its registry id (else the name shown) and its file's sha256, short."""
    d = record.details
    name = d.get("model_id") or d.get("model") or ""
    sha = d.get("model_sha256") or ""
    return f"{name} · {sha[:SHORT_HASH]}" if name and sha else str(name)


class HistoryPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel("No image")
        self.caption.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("history_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.table)
        self.records: tuple[AuditRecord, ...] = ()

    def show_history(self, key: str | None, records: Sequence[AuditRecord]) -> None:
        """Show ``records`` (one image's log, in order); ``key`` None: no image."""
        self.records = tuple(records)
        if key is None:
            self.caption.setText("No image")
        else:
            self.caption.setText(f"{key}: {len(self.records)} recorded step(s)")
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            mask = str(record.details.get("mask_sha256") or "")[:SHORT_HASH]
            cells = (local_time(record.time), record.user, describe(record), model_text(record), mask)
            tip = json.dumps(record.as_dict(), ensure_ascii=False, indent=1, sort_keys=True)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.table.setItem(row, column, item)
        self.table.scrollToBottom()

    def row_texts(self) -> list[tuple[str, ...]]:
        """The cells as shown, row by row (for tests and the screen reader alike)."""
        return [
            tuple(
                (item.text() if (item := self.table.item(r, c)) is not None else "")
                for c in range(len(COLUMNS))
            )
            for r in range(self.table.rowCount())
        ]
