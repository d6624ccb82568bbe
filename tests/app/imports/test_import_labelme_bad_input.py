"""labelme import: malformed JSON, unknown images, wrong sizes and bad shapes are reported per file."""

import json
from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.imports import import_labelme
from meddisseg_studio.state import Project


def _shape(label: str, points: list, kind: str = "polygon") -> dict:
    return {"label": label, "points": points, "group_id": None, "shape_type": kind, "flags": {}}


def test_each_bad_file_is_reported_and_the_good_ones_imported(tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    for name in ("a.png", "b.png", "c.png", "d.png"):
        cv2.imwrite(str(folder / name), np.zeros((20, 30, 3), np.uint8))
    project = Project.open(folder, state_dir=tmp_path / "state")
    src = tmp_path / "json"
    src.mkdir()
    good = {
        "imagePath": "../elsewhere/a.png",  # only the bare name is used
        "imageHeight": 20,
        "imageWidth": 30,
        "shapes": [
            _shape("polyp", [[2, 2], [12, 12]], "rectangle"),
            _shape("_background_", [[5, 5], [8, 5], [8, 8], [5, 8]]),
            _shape("tip", [[1, 1]], "point"),  # no area: ignored, noted
        ],
    }
    (src / "a.json").write_text(json.dumps(good))
    (src / "b.json").write_text('{"shapes": [')  # malformed
    (src / "c.json").write_text(json.dumps(good | {"imagePath": "c.png", "imageHeight": 21}))  # wrong size
    (src / "zz.json").write_text(json.dumps(good | {"imagePath": "zz.png"}))  # no such image
    bad_shape = good | {"imagePath": "d.png", "shapes": [_shape("polyp", [[1, "x"]])]}
    (src / "d.json").write_text(json.dumps(bad_shape))

    report = import_labelme(project, src)
    failed = dict(report.failed)
    assert report.imported == ["a.png"]
    assert set(failed) == {"b.json", "c.json", "zz.json", "d.json"}
    assert "JSON" in failed["b.json"] and "21" in failed["c.json"] and "shape 1" in failed["d.json"]
    mask = project.load_mask("a.png")
    expected = np.zeros((20, 30), np.uint8)
    expected[2:13, 2:13] = 1
    expected[5:9, 5:9] = 0  # the _background_ polygon, painted after, makes a hole
    assert np.array_equal(mask, expected)
    assert any("point (1)" in note for note in report.notes)
    assert all(project.load_mask(key) is None for key in ("b.png", "c.png", "d.png"))
