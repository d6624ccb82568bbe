"""Draws an image-list row with its file name elided in the middle, never wider than the list.

Kvasir-SEG names are long hashes (``cju0qkwl35piu0993l0dewei2.jpg``); cutting them at the end
hides the extension and the part that tells two names apart least. The middle goes instead,
each line to the width it really has, so the list never needs a horizontal scrollbar; the
full name is in the row's tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

_Index = QModelIndex | QPersistentModelIndex


class ImageRowDelegate(QStyledItemDelegate):
    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle
        if option.rect.isValid() and option.text:
            # Qt draws item text with a text layout, which breaks lines at U+2028 (not at "\n").
            option.text = "\u2028".join(self.elided_lines(option, option.text))

    def elided_lines(self, option: QStyleOptionViewItem, text: str) -> list[str]:
        """Each line of ``text`` elided in the middle to the text area of ``option.rect``."""
        style = option.widget.style() if option.widget is not None else QApplication.style()
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, option.widget)
        width = max(area.width() - 2, 0)  # the style keeps a pixel of margin on each side
        metrics = option.fontMetrics
        return [metrics.elidedText(line, Qt.TextElideMode.ElideMiddle, width) for line in text.splitlines()]

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        # Rows are as wide as the list, whatever the name: the width a long name asks for
        # would otherwise become a horizontal scroll range.
        hint = super().sizeHint(option, index)
        return QSize(min(hint.width(), 120), hint.height())
