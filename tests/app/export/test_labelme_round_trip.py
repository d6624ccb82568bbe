"""labelme JSON: lesions with holes (and islands in holes) survive export and import.

labelme has no holes: they are written as later ``_background_`` polygons of the same group.
"""

import json
from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.export import write_labelme
from meddisseg_studio.export.polygons import mask_to_rings, paint_rings
from meddisseg_studio.imports import ImportAs, import_labelme
from meddisseg_studio.state import Project


def _ring_with_hole_and_island(shape: tuple[int, int]) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    cv2.circle(mask, (30, 30), 25, 1, -1)
    cv2.circle(mask, (30, 30), 12, 0, -1)  # a hole
    cv2.circle(mask, (30, 30), 4, 1, -1)  # an island inside the hole
    cv2.rectangle(mask, (70, 10), (90, 50), 1, -1)  # a second lesion
    mask[55, 95] = 1  # a one-pixel speck
    return mask


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    union = np.logical_or(a, b).sum()
    return 1.0 if union == 0 else float(np.logical_and(a, b).sum() / union)


def test_rings_paint_back_random_masks_exactly() -> None:
    rng = np.random.default_rng(11)
    for _ in range(60):
        shape = tuple(int(v) for v in rng.integers(1, 48, 2))
        noise = cv2.GaussianBlur(rng.random(shape).astype(np.float32), (0, 0), float(rng.uniform(0.5, 3)))
        mask = (noise > np.median(noise)).astype(np.uint8)
        rings = mask_to_rings(mask)
        assert np.array_equal(paint_rings([(r.points, r.fill) for r in rings], shape), mask)


def test_export_then_import_gives_the_mask_back(tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "holes.png"), np.full((60, 100, 3), 90, np.uint8))
    cv2.imwrite(str(folder / "plain.jpg"), np.full((40, 30, 3), 30, np.uint8))
    project = Project.open(folder, state_dir=tmp_path / "state")
    mask = _ring_with_hole_and_island((60, 100))
    project.approve("holes.png", mask)
    project.approve("plain.jpg", np.zeros((40, 30), np.uint8))
    result = write_labelme(project, tmp_path / "labelme")

    document = json.loads((result.dest / "holes.json").read_text())
    assert document["imagePath"] == "holes.png" and (result.dest / "holes.png").is_file()
    assert (document["imageHeight"], document["imageWidth"]) == (60, 100)
    shapes = [(s["label"], s["group_id"], s["description"]) for s in document["shapes"]]
    # Lesions first (numbered in reading order), then the hole of lesion 1, then its island.
    assert shapes == [
        ("lesion", 1, "lesion 1"),
        ("lesion", 2, "lesion 2"),
        ("lesion", 3, "lesion 3"),
        ("_background_", 1, "hole in lesion 1"),
        ("lesion", 1, "lesion 1"),
    ]
    assert {s["shape_type"] for s in document["shapes"]} == {"polygon"}
    assert json.loads((result.dest / "plain.json").read_text())["shapes"] == []

    fresh = Project.open(folder, state_dir=tmp_path / "fresh")
    report = import_labelme(fresh, result.dest, as_status=ImportAs.APPROVED)
    assert sorted(report.imported) == ["holes.png", "plain.jpg"] and report.failed == []
    back = fresh.load_mask("holes.png")
    assert _iou(back, mask) >= 0.99
    assert np.array_equal(back, mask)  # in fact exact
    assert not fresh.load_mask("plain.jpg").any()
