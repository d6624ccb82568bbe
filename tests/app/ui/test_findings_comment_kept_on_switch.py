"""A comment still being typed is saved for its own image and folder: when the image changes,
and when another folder is opened before the typing pause ends."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.state import Project


def _folder(root: Path) -> Path:
    root.mkdir()
    for name in ("a.png", "b.png"):
        cv2.imwrite(str(root / name), np.full((30, 40, 3), 70, np.uint8))
    return root


def test_comment_follows_its_image_and_folder(qtbot, window, tmp_path: Path) -> None:
    first, second = _folder(tmp_path / "first"), _folder(tmp_path / "second")
    window.open_folder(first)
    window.workspace.show_image("a.png")
    panel = window.findings_panel
    qtbot.keyClicks(panel.comment, "about a")
    window.workspace.show_image("b.png")  # before the pause that saves it
    assert panel.comment.toPlainText() == ""
    qtbot.keyClicks(panel.comment, "about b")
    window.open_folder(second)  # again before the pause

    assert window.workspace.project.findings.comment("b.png") == ""  # nothing leaked into the new folder
    window.workspace.close_project()
    project = Project.open(first)
    assert (project.findings.comment("a.png"), project.findings.comment("b.png")) == ("about a", "about b")
    project.close()
