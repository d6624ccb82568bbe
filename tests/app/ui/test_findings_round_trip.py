"""Lesion values and a comment set in the Findings panel survive COCO and labelme export and import.

The person opens a schema with the panel's Schema… button, picks a Paris class for each lesion,
types a size and a note, and writes a comment; a new folder state (with the same schema) that
imports the exports has the same values on the same lesions, and the same comment.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import Qt

from meddisseg_studio.export.coco import write_coco
from meddisseg_studio.export.labelme import write_labelme
from meddisseg_studio.imports import ImportAs, import_coco, import_labelme
from meddisseg_studio.state import Project

SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "schema-example.toml"


def _two_lesions() -> np.ndarray:
    mask = np.zeros((80, 120), np.uint8)
    cv2.circle(mask, (30, 30), 20, 1, -1)  # lesion 1 (the larger)
    cv2.rectangle(mask, (75, 45), (100, 70), 1, -1)  # lesion 2
    return mask


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "images"
    folder.mkdir()
    for name in ("a.png", "b.png"):
        cv2.imwrite(str(folder / name), np.full((80, 120, 3), 120, np.uint8))
    project = Project.open(folder)
    project.approve("a.png", _two_lesions())
    project.close()
    return folder


def _pick(qtbot, panel, name: str, choice: str) -> None:
    combo = panel.editors[name]
    target = combo.findText(choice)
    combo.setFocus()
    while combo.currentIndex() != target:  # the keyboard, as a person would (emits activated)
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)


def _type(qtbot, panel, name: str, text: str) -> None:
    line = panel.editors[name]
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)  # editingFinished


def _values(project: Project, key: str) -> list[dict]:
    found = project.findings.resolve(key, project.load_mask(key), project.min_lesion_area)
    return [lesion.values for lesion in found.lesions]


def test_panel_values_and_comment_round_trip(qtbot, window, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    window.open_folder(folder)
    window.workspace.show_image("a.png")
    panel = window.findings_panel
    window.dialogs.files.append(SCHEMA)
    qtbot.mouseClick(panel.schema_button, Qt.MouseButton.LeftButton)
    assert set(panel.editors) == {"paris", "size_class", "size_mm", "histology", "note"}
    assert panel.lesion_list.count() == 2

    panel.lesion_list.setCurrentRow(0)
    _pick(qtbot, panel, "paris", "0-IIa")
    _type(qtbot, panel, "note", "flat, reddish")
    panel.lesion_list.setCurrentRow(1)
    _pick(qtbot, panel, "paris", "0-Is")
    _pick(qtbot, panel, "histology", "tubular adenoma")
    _type(qtbot, panel, "size_mm", "7.5")
    panel.comment.setFocus()
    qtbot.keyClicks(panel.comment, "Poor bowel prep")
    project = window.workspace.project
    qtbot.waitUntil(lambda: project.findings.comment("a.png") == "Poor bowel prep", timeout=5000)

    expected = [
        {"paris": "0-IIa", "note": "flat, reddish"},
        {"paris": "0-Is", "size_mm": 7.5, "histology": "tubular adenoma"},
    ]
    assert _values(project, "a.png") == expected
    assert "0-IIa" in panel.lesion_list.item(0).text()

    coco = write_coco(project, tmp_path / "coco.json").dest
    labelme = write_labelme(project, tmp_path / "labelme").dest
    for name, run, source in (("coco", import_coco, coco), ("labelme", import_labelme, labelme)):
        state = tmp_path / f"state-{name}"
        state.mkdir()
        shutil.copyfile(SCHEMA, state / "schema.toml")
        fresh = Project.open(folder, state_dir=state)
        report = run(fresh, source, as_status=ImportAs.APPROVED)
        assert report.imported == ["a.png"] and report.failed == [], report.details()
        assert _values(fresh, "a.png") == expected, name
        assert fresh.findings.comment("a.png") == "Poor bowel prep", name
        fresh.close()
