"""Long names are elided in the middle (extension kept), in full in the tooltip, with no horizontal bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStyleOptionViewItem

from meddisseg_studio.state.model import ImageEntry
from meddisseg_studio.widgets.image_list import ImageListPanel
from meddisseg_studio.widgets.review_panel import ReviewPanel

LONG = "cju0qkwl35piu0993l0dewei2_and_a_much_longer_export_suffix_from_the_scope.jpg"


class _NoThumbs:
    """Stands in for the thumbnail cache: these files do not exist."""

    def __init__(self, panel: ImageListPanel) -> None:
        panel.thumbnails.request = lambda key, path: None  # type: ignore[method-assign]


def test_image_list_elides_in_the_middle_without_a_horizontal_scrollbar(qtbot) -> None:
    panel = ImageListPanel()
    qtbot.addWidget(panel)
    _NoThumbs(panel)
    panel.set_entries([ImageEntry(LONG, Path("/data") / LONG), ImageEntry("b.jpg", Path("/data/b.jpg"))])
    panel.resize(260, 300)
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.view
    index = panel.model.index(0)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)  # what the view hands its delegate when it paints
    option.rect = view.visualRect(index)
    view.itemDelegate().initStyleOption(option, index)
    lines = option.text.split("\u2028")  # the line break Qt's item text layout honours
    assert len(lines) == 2 and lines[1] == "new"
    name_line = lines[0]
    assert "…" in name_line and name_line != LONG
    head, tail = name_line.split("…")
    assert LONG.startswith(head) and LONG.endswith(tail) and tail.endswith(".jpg") and len(head) > 3
    assert view.fontMetrics().horizontalAdvance(name_line) <= option.rect.width()
    assert panel.model.data(index, Qt.ItemDataRole.ToolTipRole).splitlines()[0] == LONG
    assert view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert view.horizontalScrollBar().maximum() == 0  # nothing to scroll to either
    short = panel.model.index(1)
    option.rect = view.visualRect(short)
    view.itemDelegate().initStyleOption(option, short)
    assert option.text.splitlines()[0] == "b.jpg"  # what fits is left alone


def test_review_panel_name_is_elided_and_does_not_widen_the_panel(qtbot) -> None:
    actions = [QAction(t) for t in ("A", "R", "N", "U")]
    panel = ReviewPanel(*actions)
    qtbot.addWidget(panel)
    panel.show_entry(ImageEntry(LONG, Path("/data") / LONG))
    assert panel.name_label.text() == LONG and panel.name_label.toolTip() == LONG
    assert panel.minimumSizeHint().width() < panel.fontMetrics().horizontalAdvance(LONG)
    panel.resize(240, 400)
    panel.show()
    qtbot.waitExposed(panel)
    shown = panel.name_label.elided_text()
    assert "…" in shown and shown.endswith(".jpg")
