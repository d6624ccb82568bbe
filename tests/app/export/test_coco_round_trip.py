"""COCO export: decoded with pycocotools itself (not our reader), ids, areas and bboxes checked."""

import json
from pathlib import Path

import numpy as np
from pycocotools import mask as coco_mask

from meddisseg_studio.export import export_coco, read_coco_masks
from meddisseg_studio.state import Project

APPROVED = ["p1.png", "p2.jpg", "p3.png", "p4.bmp"]  # p3 has an empty mask, p5 was rejected


def _bbox(mask: np.ndarray) -> list[float]:
    """COCO's [x, y, width, height] of the foreground, computed here from the pixels."""
    rows, cols = np.nonzero(mask)
    x0, y0 = int(cols.min()), int(rows.min())
    return [float(x0), float(y0), float(cols.max() + 1 - x0), float(rows.max() + 1 - y0)]


def test_pycocotools_decodes_every_annotation_to_the_stored_mask(
    reviewed_project: Project, tmp_path: Path
) -> None:
    dest = export_coco(reviewed_project, tmp_path / "out" / "coco.json")
    document = json.loads(dest.read_text())
    images = {image["id"]: image for image in document["images"]}
    assert [image["file_name"] for image in document["images"]] == APPROVED
    category_ids = {category["id"] for category in document["categories"]}
    assert len(category_ids) == len(document["categories"]) == 1

    annotated = []
    for annotation in document["annotations"]:
        assert annotation["category_id"] in category_ids
        assert annotation["iscrowd"] == 0
        image = images[annotation["image_id"]]
        stored = reviewed_project.load_mask(image["file_name"])
        assert stored is not None
        assert [image["height"], image["width"]] == list(stored.shape)
        rle = dict(annotation["segmentation"])
        assert isinstance(rle["counts"], str)  # JSON-safe compressed RLE
        assert rle["size"] == list(stored.shape)
        decoded = coco_mask.decode({"size": rle["size"], "counts": rle["counts"].encode("ascii")})
        assert decoded.dtype == np.uint8
        assert np.array_equal(decoded, stored), image["file_name"]
        assert annotation["area"] == int(stored.sum())
        assert annotation["bbox"] == _bbox(stored)
        annotated.append(image["file_name"])
    assert annotated == ["p1.png", "p2.jpg", "p4.bmp"]  # the empty mask has no annotation
    assert [a["id"] for a in document["annotations"]] == [1, 2, 3]  # COCO ids count from 1
    assert [image["id"] for image in document["images"]] == [1, 2, 3, 4]


def test_known_small_mask_has_the_hand_computed_area_and_bbox(
    reviewed_project: Project, tmp_path: Path
) -> None:
    document = json.loads(export_coco(reviewed_project, tmp_path / "coco.json").read_text())
    (p4_id,) = [image["id"] for image in document["images"] if image["file_name"] == "p4.bmp"]
    (annotation,) = [a for a in document["annotations"] if a["image_id"] == p4_id]
    # p4 is the 1x5 mask [1, 0, 1, 1, 0]: three pixels spanning x = 0..3.
    assert annotation["area"] == 3
    assert annotation["bbox"] == [0.0, 0.0, 4.0, 1.0]


def test_own_reader_round_trip_is_bit_exact(reviewed_project: Project, tmp_path: Path) -> None:
    dest = export_coco(reviewed_project, tmp_path / "coco.json")
    decoded = read_coco_masks(dest)
    assert sorted(decoded) == sorted(APPROVED)
    for key, mask in decoded.items():
        stored = reviewed_project.load_mask(key)
        assert stored is not None
        assert mask.dtype == np.uint8 and np.array_equal(mask, stored), key
    assert not decoded["p3.png"].any()
