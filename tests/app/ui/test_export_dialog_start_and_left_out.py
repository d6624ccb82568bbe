"""Export…: the dialog suggests a new folder beside the image folder (not the process's working
folder; the export creates it), and says how many "changed after approval" images the approved-mask
exports leave out; the result says it again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_support import wait_idle


def test_export_dialog_suggests_beside_images_and_counts_left_out(qtbot, opened, image_folder: Path) -> None:
    window = opened
    first = window.workspace.key
    for _ in range(3):
        window.actions["approve"].trigger()
    window.workspace.show_image(first)
    window.canvas.set_tool("brush")
    corner = window.canvas.image_to_viewport(3, 3)
    QTest.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), corner)
    assert window.workspace.project.entry(first).status.value == "changed"

    target = image_folder.parent / "new" / "exports"  # does not exist yet
    window.dialogs.exports.append((["coco"], target))
    window.actions["export_dialog"].trigger()
    wait_idle(qtbot, window)

    start, note = window.dialogs.export_offers[-1]
    assert start == image_folder.parent / f"{image_folder.name}-export"
    assert "1 image(s) changed after approval are left out" in note
    assert (target / "coco.json").is_file()  # the folder was created by the export
    _title, text = window.dialogs.infos[-1]
    assert "1 image(s) changed after approval are left out" in text


def test_dialog_shows_the_note_and_suggestion(qtbot, tmp_path: Path) -> None:
    from meddisseg_studio.widgets.export_dialog import ExportDialog

    dialog = ExportDialog(tmp_path / "images-export", note="2 image(s) changed after approval are left out")
    qtbot.addWidget(dialog)
    assert dialog.destination() == tmp_path / "images-export"
    assert not dialog.note.isHidden() and "2 image(s)" in dialog.note.text()
