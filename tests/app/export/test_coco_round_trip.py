import json
from pathlib import Path

import numpy as np

from meddisseg_studio.export import export_coco, read_coco_masks
from meddisseg_studio.state import Project


def test_rle_round_trip_is_bit_exact(reviewed_project: Project, tmp_path: Path) -> None:
    dest = export_coco(reviewed_project, tmp_path / "out" / "coco.json")
    document = json.loads(dest.read_text())
    assert [image["file_name"] for image in document["images"]] == ["p1.png", "p2.jpg", "p3.png", "p4.bmp"]
    assert len(document["categories"]) == 1
    assert len(document["annotations"]) == 3  # the empty mask has no annotation
    for annotation in document["annotations"]:
        assert isinstance(annotation["segmentation"]["counts"], str)
        assert annotation["iscrowd"] == 0
        assert annotation["area"] > 0 and len(annotation["bbox"]) == 4
    decoded = read_coco_masks(dest)
    for key, mask in decoded.items():
        stored = reviewed_project.load_mask(key)
        assert stored is not None
        assert mask.dtype == np.uint8 and np.array_equal(mask, stored), key
    assert not decoded["p3.png"].any()
    by_id = {a["image_id"]: a for a in document["annotations"]}
    assert by_id[4]["area"] == 3 and by_id[4]["bbox"] == [0.0, 0.0, 4.0, 1.0]
