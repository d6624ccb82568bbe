"""COCO import: RLE, uncompressed RLE and polygons; categories kept and chosen; bad input reported."""

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from pycocotools import mask as rle

from meddisseg_studio.export import ExportOptions, write_coco
from meddisseg_studio.imports import ImportAs, ImportFailedError, import_coco
from meddisseg_studio.state import Project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    folder = tmp_path / "images"
    folder.mkdir()
    for name, (h, w) in {"a.png": (40, 50), "b.jpg": (30, 30), "sub_c.png": (20, 25)}.items():
        cv2.imwrite(str(folder / name), np.zeros((h, w, 3), np.uint8))
    return Project.open(folder, state_dir=tmp_path / "state")


def _rle(mask: np.ndarray) -> dict:
    encoded = rle.encode(np.asfortranarray(mask))
    return {"size": list(mask.shape), "counts": encoded["counts"].decode("ascii")}


def test_round_trip_through_export_and_import(project: Project, tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    keys = project.keys()
    masks = {key: (rng.random(project.image_shape(key)) > 0.7).astype(np.uint8) for key in keys}
    for key, mask in masks.items():
        project.approve(key, mask)
    exported = write_coco(project, tmp_path / "coco.json", options=ExportOptions(min_lesion_area=3))
    fresh = Project.open(project.folder, state_dir=tmp_path / "fresh")
    report = import_coco(fresh, exported.dest, as_status=ImportAs.APPROVED)
    assert sorted(report.imported) == sorted(masks) and report.failed == []
    for key, mask in masks.items():
        assert np.array_equal(fresh.load_mask(key), mask), key


def test_all_segmentation_kinds_and_categories(project: Project, tmp_path: Path) -> None:
    box = np.zeros((40, 50), np.uint8)
    box[5:15, 10:30] = 1
    crowd = np.zeros((40, 50), np.uint8)
    crowd[30:35, 40:45] = 1
    raw_rle = {"size": [40, 50], "counts": _uncompressed(crowd)}  # uncompressed, as iscrowd uses
    assert np.array_equal(rle.decode(rle.frPyObjects(raw_rle, 40, 50)), crowd)
    document = {
        "images": [
            {"id": 7, "file_name": "some/where/a.png", "height": 40, "width": 50},
            {"id": "b", "file_name": "b.jpg", "height": 30, "width": 30},
        ],
        "categories": [{"id": 3, "name": "polyp"}, {"id": 9, "name": "instrument"}],
        "annotations": [
            {"id": 1, "image_id": 7, "category_id": 3, "segmentation": _rle(box)},
            {"id": 2, "image_id": 7, "category_id": 3, "segmentation": raw_rle, "iscrowd": 1},
            {"id": 3, "image_id": "b", "category_id": 3, "segmentation": [[2, 2, 12, 2, 12, 12, 2, 12]]},
            {"id": 4, "image_id": "b", "category_id": 9, "segmentation": [[20, 20, 28, 20, 28, 28]]},
        ],
    }
    path = tmp_path / "ext.json"
    path.write_text(json.dumps(document))

    report = import_coco(project, path, categories=["polyp"])
    assert sorted(report.imported) == ["a.png", "b.jpg"] and report.failed == []
    assert np.array_equal(project.load_mask("a.png"), box | crowd)
    b = project.load_mask("b.jpg")
    # COCO polygon coordinates are pixel edges: (2, 2)-(12, 12) covers pixels 2..11.
    assert b[2:12, 2:12].all() and b.sum() == 100 and not b[20:29, 20:29].any()  # instrument left out
    assert "polyp (3)" in " ".join(report.notes)

    everything = import_coco(project, path)  # proposed masks may be replaced: all categories now
    assert sorted(everything.imported) == ["a.png", "b.jpg"]
    assert project.load_mask("b.jpg")[24, 26] == 1
    with pytest.raises(ImportFailedError, match="tumour"):
        import_coco(project, path, categories=["tumour"])


def _uncompressed(mask: np.ndarray) -> list[int]:
    flat = mask.flatten(order="F")
    counts, current, run = [], 0, 0
    for value in flat:
        if value == current:
            run += 1
        else:
            counts.append(run)
            current, run = value, 1
    return [*counts, run]


def test_bad_entries_are_reported_and_the_rest_imported(project: Project, tmp_path: Path) -> None:
    good = np.zeros((20, 25), np.uint8)
    good[3:9, 4:12] = 1
    document = {
        "images": [
            {"id": 1, "file_name": "a.png", "height": 41, "width": 50},  # wrong size
            {"id": 2, "file_name": "nowhere.png", "height": 10, "width": 10},  # unknown image
            {"id": 3, "file_name": "sub_c.png", "height": 20, "width": 25},
            {"id": 4, "file_name": "b.jpg", "height": 30, "width": 30},
        ],
        "categories": [{"id": 1, "name": "lesion"}],
        "annotations": [
            {"id": 10, "image_id": 3, "category_id": 1, "segmentation": _rle(good)},
            {"id": 11, "image_id": 99, "category_id": 1, "segmentation": _rle(good)},  # unknown image id
            {"id": 12, "image_id": 3, "category_id": 5, "segmentation": _rle(good)},  # unknown category
            {"id": 13, "image_id": 4, "category_id": 1, "segmentation": [[1, 2, 3]]},  # broken polygon
        ],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    report = import_coco(project, path)
    failed = " | ".join(f"{item}: {reason}" for item, reason in report.failed)
    assert report.imported == ["sub_c.png"]
    assert np.array_equal(project.load_mask("sub_c.png"), good)
    for expected in ("image 1 (a.png)", "image 2 (nowhere.png)", "annotation 11", "annotation 12", "image 4"):
        assert expected in failed
    assert project.load_mask("b.jpg") is None  # never half an image: its broken annotation stops it
    (tmp_path / "broken.json").write_text('{"images": [')
    with pytest.raises(ImportFailedError, match="not valid JSON"):
        import_coco(project, tmp_path / "broken.json")
