"""A value the schema refuses, typed in the Findings panel, is explained in red and not stored."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import Qt

from meddisseg_studio.state import Project

SCHEMA = """
[[attributes]]
name = "size_mm"
type = "number"
min = 0
max = 200
unit = "mm"
"""


def _type(qtbot, line, text: str) -> None:
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_refused_value_is_explained_and_not_stored(qtbot, window, tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.png"), np.full((40, 60, 3), 90, np.uint8))
    project = Project.open(folder)
    mask = np.zeros((40, 60), np.uint8)
    mask[5:30, 10:40] = 1
    project.approve("a.png", mask)
    (project.state_dir / "schema.toml").write_text(SCHEMA, encoding="utf-8")
    project.close()

    window.open_folder(folder)
    window.workspace.show_image("a.png")
    panel = window.findings_panel
    line = panel.editors["size_mm"]
    project = window.workspace.project

    _type(qtbot, line, "12")
    assert panel.error_label.isHidden()
    for bad, why in (("350", "above the maximum 200 mm"), ("twelve", "expected a number")):
        _type(qtbot, line, bad)
        assert not panel.error_label.isHidden()
        assert "size_mm" in panel.error_label.text() and bad in panel.error_label.text()
        assert why in panel.error_label.text() and "not stored" in panel.error_label.text()
        stored = project.findings.resolve("a.png", mask, project.min_lesion_area).lesions[0].values
        assert stored == {"size_mm": 12.0}  # the last good value, untouched
