"""Picking a lesion in the Findings panel outlines it on the canvas; another image clears the outline."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.state import Project

SCHEMA = '[[attributes]]\nname = "paris"\ntype = "enum"\nchoices = ["0-Is", "0-IIa"]\n'


def test_picked_lesion_is_outlined(qtbot, window, tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    for name in ("a.png", "b.png"):
        cv2.imwrite(str(folder / name), np.zeros((60, 80, 3), np.uint8))
    project = Project.open(folder)
    mask = np.zeros((60, 80), np.uint8)
    mask[5:35, 5:45] = 1  # lesion 1 (1,200 px)
    mask[40:55, 60:75] = 1  # lesion 2 (225 px)
    project.approve("a.png", mask)
    project.state_dir.joinpath("schema.toml").write_text(SCHEMA, encoding="utf-8")
    project.close()

    canvas = window.canvas
    qtbot.waitUntil(lambda: window.tool_status is not None)  # the canvas is wired into the window
    window.open_folder(folder)
    window.workspace.show_image("a.png")
    panel = window.findings_panel
    assert panel.lesion_list.count() == 2 and not canvas.highlight.isVisible()
    panel.lesion_list.setCurrentRow(1)
    assert canvas.highlight.isVisible()
    rect = canvas.highlight.rect()
    assert (rect.x(), rect.y(), rect.width(), rect.height()) == (59, 39, 17, 17)  # pixels 60..74 and a margin
    window.workspace.show_image("b.png")
    assert not canvas.highlight.isVisible()
