"""Findings of the image on screen: its lesions with their attribute values, and a comment.

The lesion list numbers lesions as the COCO export does (largest first). Editors come from the
project's findings schema (a combo box for an enum, a line for text and numbers); a value is
stored when a choice is picked or a line is left, and a refused value is shown in red under the
editors, with nothing stored. Without a schema only the comment (and the Schema… button) shows.
The comment is saved when the person stops typing for a moment, leaves the box, or the image
changes. The panel knows no controller: the window gives it :attr:`submit_value` and connects
its signals.
"""

# ruff: noqa: N815 - Qt signal names are camelCase, as in Qt and the canvas contract

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..state.findings import ImageFindings, Lesion
from ..state.findings_schema import Attribute, FindingsSchema

COMMENT_IDLE_MS = 800  # the comment is saved this long after the last key press
UNSET = "–"
ERROR_STYLE = "color: #b00020"


class CommentEdit(QPlainTextEdit):
    """A plain-text box that says when it loses focus (QPlainTextEdit has no editingFinished)."""

    focusLeft = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.focusLeft.emit()


def lesion_text(lesion: Lesion, schema: FindingsSchema) -> str:
    """One list row: number, area, the values set, and the required ones missing."""
    values = lesion.values
    shown = [a.format(values[a.name]) + a.unit_suffix for a in schema.attributes if a.name in values]
    text = f"Lesion {lesion.number} · {lesion.area} px"
    if shown:
        text += " · " + ", ".join(shown)
    missing = schema.missing(values)
    if missing:
        text += f" · missing: {', '.join(missing)}"
    return text


class FindingsPanel(QGroupBox):
    lesionSelected = Signal(object)  # the selected Lesion, or None
    commentEdited = Signal(str, str)  # key, text
    schemaRequested = Signal()
    discardRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Findings", parent)
        # (lesion number, attribute name, value) -> None if stored, else why not. Set by the window.
        self.submit_value: Callable[[int, str, object], str | None] = lambda *_a: "not connected"
        self.schema: FindingsSchema | None = None
        self.findings: ImageFindings | None = None
        self.editors: dict[str, QComboBox | QLineEdit] = {}
        self._comment_key: str | None = None
        self._comment_dirty = False
        self._picked = False  # the person picked a lesion of this image (the canvas outlines it)

        self.schema_button = QPushButton("Schema…")
        self.schema_button.setToolTip("Choose a findings schema (.toml) for this folder's lesions")
        self.schema_button.clicked.connect(self.schemaRequested.emit)
        self.schema_label = QLabel()
        self.schema_label.setWordWrap(True)
        self.lesion_list = QListWidget()
        self.lesion_list.setMaximumHeight(80)
        self.lesion_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lesion_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.lesion_list.currentRowChanged.connect(self._on_row)
        self.editor_box = QWidget()
        self.form = QFormLayout(self.editor_box)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.orphan_label = QLabel()
        self.orphan_label.setWordWrap(True)
        self.discard_button = QPushButton("Discard")
        self.discard_button.setToolTip("Forget the values whose lesion is gone (erased or merged)")
        self.discard_button.clicked.connect(self.discardRequested.emit)
        orphans = QHBoxLayout()
        orphans.addWidget(self.orphan_label, 1)
        orphans.addWidget(self.discard_button)
        self.orphan_row = QWidget()
        self.orphan_row.setLayout(orphans)
        orphans.setContentsMargins(0, 0, 0, 0)
        self.comment = CommentEdit()
        self.comment.setPlaceholderText("Comment on this image")
        self.comment.setMaximumHeight(90)
        self.comment.textChanged.connect(self._on_comment_typed)
        self.comment.focusLeft.connect(self.commit_comment)
        self._comment_timer = QTimer(self)
        self._comment_timer.setSingleShot(True)
        self._comment_timer.setInterval(COMMENT_IDLE_MS)
        self._comment_timer.timeout.connect(self.commit_comment)

        top = QHBoxLayout()
        top.addWidget(self.schema_label, 1)
        top.addWidget(self.schema_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.lesion_list)
        layout.addWidget(self.editor_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.orphan_row)
        layout.addWidget(QLabel("Comment"))
        layout.addWidget(self.comment)
        self.set_schema(None)
        self.show_findings(None)

    # -- schema -------------------------------------------------------------------------
    def set_schema(self, schema: FindingsSchema | None, problem: str | None = None) -> None:
        """Build one editor per attribute (only when the schema changes: editors survive refreshes)."""
        if schema == self.schema and self.editors:
            return
        self.schema = schema
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        for attribute in schema.attributes if schema is not None else ():
            editor = self._editor(attribute)
            label = attribute.label + (" *" if attribute.required else "")
            self.form.addRow(label, editor)
            self.editors[attribute.name] = editor
        if problem:
            self.schema_label.setText(f"Schema not used: {problem}")
            self.schema_label.setStyleSheet(ERROR_STYLE)
        else:
            self.schema_label.setStyleSheet("")
            count = len(schema.attributes) if schema is not None else 0
            self.schema_label.setText(f"{count} attribute(s) per lesion" if schema else "No findings schema")
        for widget in (self.lesion_list, self.editor_box):
            widget.setVisible(schema is not None)

    def _editor(self, attribute: Attribute) -> QComboBox | QLineEdit:
        tip = attribute.help or attribute.label
        if attribute.kind == "enum":
            combo = QComboBox()
            combo.addItems([UNSET, *attribute.choices])
            # A long choice must not widen the dock (the right column fits a small screen).
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
            combo.setToolTip(tip)
            combo.activated.connect(
                lambda index, a=attribute: self._submit(a.name, None if index <= 0 else a.choices[index - 1])
            )
            return combo
        line = QLineEdit()
        if attribute.kind in ("number", "integer"):
            bounds = [f"{b:g}" for b in (attribute.minimum, attribute.maximum) if b is not None]
            unit = attribute.unit_suffix
            line.setPlaceholderText(" – ".join(bounds) + unit if bounds else unit.strip())
        line.setToolTip(tip)
        line.editingFinished.connect(lambda a=attribute, w=line: self._on_line(a, w))
        return line

    # -- showing ------------------------------------------------------------------------
    def show_findings(self, findings: ImageFindings | None) -> None:
        """Show an image's findings; a comment still being typed for the previous image is saved."""
        same_image = findings is not None and self.findings is not None and findings.key == self.findings.key
        if findings is None or findings.key != self._comment_key:
            self.commit_comment()
        selected = self.selected_number() if same_image else None
        self._picked = self._picked and same_image
        self.findings = findings
        self.lesion_list.blockSignals(True)
        self.lesion_list.clear()
        lesions = findings.lesions if findings is not None else ()
        for lesion in lesions:
            text = lesion_text(lesion, self.schema) if self.schema else f"Lesion {lesion.number}"
            item = QListWidgetItem(text)
            item.setToolTip(item.text())
            self.lesion_list.addItem(item)
        if lesions:
            self.lesion_list.setCurrentRow(min(selected or 1, len(lesions)) - 1)
        self.lesion_list.blockSignals(False)
        self._fill_editors()
        orphans = findings.orphans if findings is not None else ()
        self.orphan_row.setVisible(bool(orphans))
        self.orphan_label.setText(f"{len(orphans)} set(s) of values without a lesion (erased or merged)")
        stored = findings.comment if findings is not None else ""
        new_image = findings is None or findings.key != self._comment_key
        if new_image or (not self._comment_dirty and self.comment.toPlainText() != stored):
            # Never over what is being typed: only another image, or a change made elsewhere.
            self.comment.blockSignals(True)
            self.comment.setPlainText(stored)
            self.comment.blockSignals(False)
            self._comment_key = findings.key if findings is not None else None
            self._comment_dirty = False
        self.comment.setEnabled(findings is not None)
        self.lesionSelected.emit(self.selected_lesion() if self._picked else None)

    def selected_number(self) -> int | None:
        row = self.lesion_list.currentRow()
        count = len(self.findings.lesions) if self.findings is not None else 0
        return row + 1 if 0 <= row < count else None

    def selected_lesion(self) -> Lesion | None:
        number = self.selected_number()
        return self.findings.lesions[number - 1] if number is not None and self.findings is not None else None

    def _on_row(self, _row: int) -> None:
        self._picked = True
        self.error_label.hide()
        self._fill_editors()
        self.lesionSelected.emit(self.selected_lesion())

    def _fill_editors(self) -> None:
        lesion = self.selected_lesion()
        values = lesion.values if lesion is not None else {}
        for name, editor in self.editors.items():
            attribute = self.schema.attribute(name) if self.schema is not None else None
            text = attribute.format(values.get(name)) if attribute is not None else ""
            editor.blockSignals(True)
            if isinstance(editor, QComboBox):
                index = editor.findText(text) if text else 0
                editor.setCurrentIndex(max(index, 0))
            else:
                editor.setText(text)
                editor.setStyleSheet("")
            editor.setEnabled(lesion is not None)
            editor.blockSignals(False)

    # -- input --------------------------------------------------------------------------
    def _on_line(self, attribute: Attribute, line: QLineEdit) -> None:
        lesion = self.selected_lesion()
        if lesion is None or attribute.format(lesion.values.get(attribute.name)) == line.text().strip():
            return  # focus left without a change
        self._submit(attribute.name, line.text(), line)

    def _submit(self, name: str, value: object, editor: QLineEdit | None = None) -> None:
        number = self.selected_number()
        if number is None:
            return
        problem = self.submit_value(number, name, value)
        if problem is None:
            self.error_label.hide()
            return
        self.error_label.setText(problem)
        self.error_label.show()
        if editor is not None:
            editor.setStyleSheet(f"border: 1px solid {ERROR_STYLE.split(': ')[1]}")

    def _on_comment_typed(self) -> None:
        self._comment_dirty = True
        self._comment_timer.start()

    def commit_comment(self) -> None:
        """Send the comment being typed (if it changed) for the image it was typed for."""
        self._comment_timer.stop()
        if self._comment_dirty and self._comment_key is not None:
            self._comment_dirty = False
            self.commentEdited.emit(self._comment_key, self.comment.toPlainText())


def lesion_box(lesion: Lesion | None) -> tuple[int, int, int, int] | None:
    """(x, y, w, h) of a lesion's pixels, for the canvas outline; None for no lesion."""
    if lesion is None:
        return None
    ys, xs = lesion.region.nonzero()
    if len(ys) == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)


def connect_panel(panel: FindingsPanel, controller: QObject) -> None:
    """Wire the panel to a ``control.findings.FindingsController`` (kept here, out of the window)."""

    def refresh() -> None:
        panel.set_schema(controller.schema, controller.schema_problem)  # type: ignore[attr-defined]
        panel.show_findings(controller.current)  # type: ignore[attr-defined]

    panel.submit_value = controller.set_value  # type: ignore[attr-defined]
    panel.commentEdited.connect(controller.set_comment)  # type: ignore[attr-defined]
    panel.schemaRequested.connect(controller.open_schema)  # type: ignore[attr-defined]
    panel.discardRequested.connect(controller.discard_orphans)  # type: ignore[attr-defined]
    controller.changed.connect(refresh)  # type: ignore[attr-defined]
    # A comment still being typed belongs to the project that is closing, not to the next one.
    controller.workspace.projectClosing.connect(panel.commit_comment)  # type: ignore[attr-defined]
    refresh()
