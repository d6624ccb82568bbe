"""Opening a folder lists every file; a corrupt one is marked with its error, never a crash."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_support import BROKEN, N_KVASIR

from meddisseg_studio.widgets.image_list import StatusRole


def test_open_lists_images_and_marks_corrupt_file(qtbot, opened) -> None:
    panel = opened.image_list
    model = panel.model
    assert model.rowCount() == N_KVASIR + 1
    # A readable image is shown right away.
    assert opened.workspace.key is not None and opened.workspace.key != BROKEN
    assert opened.workspace.session is not None
    # Thumbnails of the visible rows decode in the pool; the corrupt one fails and is marked.
    row = model.row_of(BROKEN)
    index = model.index(row)
    model.data(index, Qt.ItemDataRole.DecorationRole)  # what a paint does
    qtbot.waitUntil(lambda: model.data(index, StatusRole) == "error", timeout=10_000)
    tooltip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "error:" in tooltip and BROKEN in tooltip
    assert opened.dialogs.errors == []  # marked in the list, no modal error
    # Selecting it shows a message instead of an image and keeps the app alive.
    opened.workspace.show_image(BROKEN)
    assert opened.workspace.session is None
    assert "Cannot show" in opened.statusBar().currentMessage()
    # The filter finds it under "Unreadable".
    panel.set_filter("error")
    assert model.keys() == [BROKEN]
