"""The image list: one cheap row per project entry, status badges, a status filter.

Rows are built from ``project.entries`` without touching the files, so 10,000 images
open instantly; thumbnails arrive later from :class:`ThumbnailCache` for visible rows only.
Unreadable files (``entry.error`` or a failed thumbnail decode) are marked in the row
text, tooltip and badge instead of raising. Names are elided in the middle to the list's width
(``ImageRowDelegate``), with the full name as the tooltip; a rejected row shows its reason.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt and the canvas contract

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLabel, QListView, QVBoxLayout, QWidget

from ..state.model import ImageEntry, ReviewStatus
from .icons import STATUS_COLOURS, status_icon
from .image_row_delegate import ImageRowDelegate
from .thumbnails import THUMB_SIZE, ThumbnailCache

FILTERS: tuple[tuple[str, str], ...] = (
    ("all", "All images"),
    ("unreviewed", "Unreviewed"),
    ("new", "New"),
    ("proposed", "Proposed"),
    ("edited", "Edited"),
    ("approved", "Approved"),
    ("changed", "Changed after approval"),
    ("rejected", "Rejected"),
    ("error", "Unreadable"),
)
UNREVIEWED = frozenset({"new", "proposed", "edited", "changed"})

KeyRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def status_name(entry: ImageEntry) -> str:
    return entry.status.value


def lesion_text(entry: ImageEntry) -> str:
    """ "1 lesion", "3 lesions"; "" while the stored mask's count is not known."""
    count = entry.lesions
    if count is None:
        return ""
    return f"{count} lesion" + ("" if count == 1 else "s")


def status_text(entry: ImageEntry) -> str:
    """The status as a reader sees it: "changed after approval", "rejected: image quality"."""
    text = entry.status.label
    reason = entry.reject_reason
    return f"{text}: {reason}" if reason and entry.status == ReviewStatus.REJECTED else text


class ImageListModel(QAbstractListModel):
    """A filtered view of ``project.entries`` (the project stays the owner of the data)."""

    def __init__(self, thumbnails: ThumbnailCache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thumbs = thumbnails
        self._entries: list[ImageEntry] = []
        self._rows: list[int] = []  # entry indices shown, in order
        self._row_of: dict[str, int] = {}
        self._errors: dict[str, str] = {}  # thumbnail decode failures found after opening
        self._filter = "all"
        thumbnails.loaded.connect(self._refresh_key)
        thumbnails.failed.connect(self._on_thumb_failed)
        thumbnails.restyled.connect(self._refresh_all)

    # -- population ---------------------------------------------------------------
    def set_entries(self, entries: list[ImageEntry]) -> None:
        self.beginResetModel()
        self._entries = entries
        self._errors.clear()
        self._rebuild()
        self.endResetModel()

    def set_filter(self, name: str) -> None:
        self.beginResetModel()
        self._filter = name
        self._rebuild()
        self.endResetModel()

    def _status(self, entry: ImageEntry) -> str:
        if self.error_of(entry):
            return "error"
        return status_name(entry)

    def _keep(self, entry: ImageEntry) -> bool:
        if self._filter == "all":
            return True
        status = self._status(entry)
        if self._filter == "unreviewed":
            return status in UNREVIEWED
        return status == self._filter

    def _rebuild(self) -> None:
        self._rows = [i for i, e in enumerate(self._entries) if self._keep(e)]
        self._row_of = {self._entries[i].key: row for row, i in enumerate(self._rows)}

    def error_of(self, entry: ImageEntry) -> str | None:
        return entry.error or self._errors.get(entry.key)

    # -- lookups ------------------------------------------------------------------
    def key_at(self, row: int) -> str | None:
        if 0 <= row < len(self._rows):
            return self._entries[self._rows[row]].key
        return None

    def entry_at(self, row: int) -> ImageEntry:
        return self._entries[self._rows[row]]

    def row_of(self, key: str) -> int | None:
        return self._row_of.get(key)

    def keys(self) -> list[str]:
        return [self._entries[i].key for i in self._rows]

    def refresh(self, key: str | None = None) -> None:
        """Re-read entries after a state change (a key, or everything)."""
        if key is None:
            self.set_filter(self._filter)  # statuses may move rows in or out of the filter
            return
        self._refresh_key(key)

    def _refresh_key(self, key: str) -> None:
        row = self._row_of.get(key)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def _refresh_all(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    def _on_thumb_failed(self, key: str, reason: str) -> None:
        self._errors[key] = reason
        self._refresh_key(key)

    # -- Qt model API -------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    # object, not Any: the value depends on the role (text, icon, colour, key), as in Qt's own API.
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._entries[self._rows[index.row()]]
        status = self._status(entry)
        if role == Qt.ItemDataRole.DisplayRole:
            if status == "error":
                return f"{entry.key}\nunreadable"
            lesions = lesion_text(entry)
            return f"{entry.key}\n{status_text(entry)}" + (f" · {lesions}" if lesions else "")
        if role == Qt.ItemDataRole.DecorationRole:
            if status == "error":
                return status_icon("error")
            thumb = self._thumbs.get(entry.key)
            if thumb is None:
                # Only painted (= visible) rows reach here: this is what keeps decoding lazy.
                self._thumbs.request(entry.key, entry.path)
                return status_icon(status)
            return thumb
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [entry.key, str(entry.path), f"status: {status_text(entry)}"]
            if lesion_text(entry):
                lines.append(
                    f"{lesion_text(entry)} in the saved mask (of at least {entry.lesion_min_area} px)"
                )
            if error := self.error_of(entry):
                lines.append(f"error: {error}")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(STATUS_COLOURS[status]) if status in ("error", "rejected") else None
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = QColor(STATUS_COLOURS.get(status, "#9e9e9e"))
            colour.setAlpha(40)
            return colour
        if role == KeyRole:
            return entry.key
        if role == StatusRole:
            return status
        return None


class ImageListPanel(QWidget):
    """Status filter + list view. Emits ``imageActivated(key)`` when the current row changes."""

    imageActivated = Signal(str)

    def __init__(self, thumbnails: ThumbnailCache | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumbnails = thumbnails or ThumbnailCache(parent=self)
        self.model = ImageListModel(self.thumbnails, self)
        self.filter_box = QComboBox()
        for name, label in FILTERS:
            self.filter_box.addItem(label, name)
        self.filter_box.setToolTip("Show only images with this review status")
        self.count_label = QLabel("No folder open")
        self.view = QListView()
        self.view.setModel(self.model)
        # Uniform sizes: the view sizes rows from one item instead of asking every row.
        self.view.setUniformItemSizes(True)
        self.view.setIconSize(QSize(THUMB_SIZE, THUMB_SIZE))
        self.view.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        self.view.setMinimumWidth(220)
        # Long names are elided in the middle instead of widening the list (no horizontal bar).
        self.view.setItemDelegate(ImageRowDelegate(self.view))
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setWordWrap(False)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.view)
        layout.addWidget(self.count_label)
        self.filter_box.currentIndexChanged.connect(self._on_filter)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.view.verticalScrollBar().valueChanged.connect(lambda _v: self.thumbnails.drop_queued())

    def set_entries(self, entries: list[ImageEntry]) -> None:
        self.thumbnails.drop_queued()
        self.model.set_entries(entries)
        self._update_count()

    def refresh(self, key: str | None = None) -> None:
        current = self.current_key()
        if self.model._filter != "all":
            key = None  # a status change can move the row in or out of the filtered list
        self.model.refresh(key)
        if key is None:
            self._update_count()
            if current is not None:
                self.select_key(current, emit=False)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), len(self.model._entries)
        self.count_label.setText(f"{shown} of {total} image(s)")

    def _on_filter(self, _index: int) -> None:
        self.model.set_filter(self.filter_box.currentData())
        self._update_count()

    def set_filter(self, name: str) -> None:
        self.filter_box.setCurrentIndex(self.filter_box.findData(name))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = self.model.key_at(current.row()) if current.isValid() else None
        if key is not None and not self._silent:
            self.imageActivated.emit(key)

    _silent = False

    def current_key(self) -> str | None:
        index = self.view.currentIndex()
        return self.model.key_at(index.row()) if index.isValid() else None

    def select_key(self, key: str, *, emit: bool = True) -> bool:
        row = self.model.row_of(key)
        if row is None:
            return False
        self._silent = not emit
        try:
            self.view.setCurrentIndex(self.model.index(row))
        finally:
            self._silent = False
        self.view.scrollTo(self.model.index(row))
        return True

    def selected_keys(self) -> list[str]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedIndexes())
        return [k for r in rows if (k := self.model.key_at(r)) is not None]

    def step(self, offset: int) -> str | None:
        """Key of the row ``offset`` away from the current one (clamped), or None."""
        count = self.model.rowCount()
        if count == 0:
            return None
        index = self.view.currentIndex()
        row = index.row() + offset if index.isValid() else 0
        return self.model.key_at(min(max(row, 0), count - 1))

    def error_of(self, key: str) -> str | None:
        """Why the image ``key`` cannot be shown (listing or thumbnail decode), or None."""
        row = self.model.row_of(key)
        if row is None:
            return None
        return self.model.error_of(self.model.entry_at(row))
