"""Lesion values follow their lesion through edits (by overlap), not its number.

Growing a lesion past another renumbers them (largest first, as in COCO) and the values move
with it; an erased lesion's values become an orphan that comes back with the lesion; a merge
keeps the values that overlap most.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.state import Project

SCHEMA = '[[attributes]]\nname = "paris"\ntype = "enum"\nchoices = ["0-Is", "0-IIa", "0-III"]\n'


def _paris(project: Project, mask: np.ndarray) -> list[str | None]:
    found = project.findings.track("a.png", mask, project.min_lesion_area)
    return [lesion.values.get("paris") for lesion in found.lesions]


def test_values_follow_the_lesion(tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.png"), np.zeros((100, 160, 3), np.uint8))
    project = Project.open(folder)
    (tmp_path / "schema.toml").write_text(SCHEMA, encoding="utf-8")
    project.findings.install_schema(tmp_path / "schema.toml")
    book = project.findings
    circle = np.zeros((100, 160), np.uint8)
    cv2.circle(circle, (30, 30), 20, 1, -1)  # about 1,260 px
    box = np.zeros_like(circle)
    box[50:80, 90:120] = 1  # 900 px
    mask = circle | box
    area = project.min_lesion_area
    book.set_value("a.png", mask, area, 1, "paris", "0-IIa")  # the circle
    book.set_value("a.png", mask, area, 2, "paris", "0-Is")  # the box
    assert _paris(project, mask) == ["0-IIa", "0-Is"]

    # The box grows past the circle, step by step: it becomes lesion 1 and keeps its value.
    for right in (130, 140, 155):
        box[45:90, 90:right] = 1
        mask = circle | box
        assert _paris(project, mask) == (["0-Is", "0-IIa"] if right > 120 else ["0-IIa", "0-Is"])

    # Erase the circle: its value is kept aside (an orphan), never put on the box.
    found = book.resolve("a.png", box, area)
    assert [lesion.values for lesion in found.lesions] == [{"paris": "0-Is"}]
    assert [orphan.values for orphan in found.orphans] == [{"paris": "0-IIa"}]
    _paris(project, box)  # tracking while the circle is gone moves nothing of the orphan
    assert _paris(project, circle | box) == ["0-Is", "0-IIa"]  # undo: the circle's value is back

    # A bridge merges them: the values that overlap most (the box's) win, the circle's wait aside.
    merged = circle | box
    cv2.line(merged, (30, 30), (100, 60), 1, 5)
    found = book.resolve("a.png", merged, area)
    assert [lesion.values for lesion in found.lesions] == [{"paris": "0-Is"}]
    assert [orphan.values for orphan in found.orphans] == [{"paris": "0-IIa"}]
    project.close()
