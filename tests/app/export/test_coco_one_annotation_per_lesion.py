"""Several polyps in one image give one COCO annotation each; specks stay with the nearest one."""

import json
from pathlib import Path

import cv2
import numpy as np
from pycocotools import mask as rle

from meddisseg_studio.export import ExportOptions, count_lesions, lesion_regions, write_coco
from meddisseg_studio.state import Project


def _three_polyps_and_a_speck() -> np.ndarray:
    mask = np.zeros((60, 80), np.uint8)
    cv2.circle(mask, (15, 15), 8, 1, -1)  # ~200 px
    cv2.circle(mask, (60, 40), 10, 1, -1)  # ~300 px
    mask[45:52, 5:12] = 1  # 49 px: a lesion only when the minimum area allows it
    mask[2, 40] = 1  # a 1-px speck, nearest to the first polyp
    return mask


def test_count_lesions_follows_the_minimum_area() -> None:
    mask = _three_polyps_and_a_speck()
    assert count_lesions(mask, 64) == 2
    assert count_lesions(mask, 10) == 3
    assert count_lesions(mask, 1) == 4
    assert count_lesions(np.zeros((5, 5), np.uint8), 1) == 0


def test_regions_partition_the_mask_and_specks_join_the_nearest_lesion() -> None:
    mask = _three_polyps_and_a_speck()
    regions = lesion_regions(mask, 64)
    assert len(regions) == 2
    assert np.array_equal(np.sum(regions, axis=0), mask)  # disjoint, and their union is the mask
    largest_first = [int(r.sum()) for r in regions]
    assert largest_first == sorted(largest_first, reverse=True)
    assert regions[1][2, 40] == 1 and regions[1][15, 15] == 1  # speck with the polyp at (15, 15)
    assert len(lesion_regions(np.pad(np.eye(3, dtype=np.uint8), 2), 64)) == 1  # specks only: kept


def test_coco_export_writes_one_annotation_per_lesion(tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "polyps.png"), np.zeros((60, 80, 3), np.uint8))
    project = Project.open(folder, state_dir=tmp_path / "state")
    mask = _three_polyps_and_a_speck()
    project.approve("polyps.png", mask)
    for min_area, expected in ((64, 2), (10, 3)):
        result = write_coco(project, tmp_path / f"coco{min_area}.json", options=ExportOptions(min_area))
        document = json.loads(result.dest.read_text())
        annotations = document["annotations"]
        assert len(annotations) == expected
        assert [a["id"] for a in annotations] == list(range(1, expected + 1))
        assert {a["category_id"] for a in annotations} == {document["categories"][0]["id"]}
        union = np.zeros_like(mask)
        for annotation in annotations:
            encoded = annotation["segmentation"]
            decoded = rle.decode({"size": encoded["size"], "counts": encoded["counts"].encode()})
            assert annotation["area"] == int(decoded.sum())
            union |= decoded
        assert np.array_equal(union, mask)
