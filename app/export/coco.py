"""Export masks as COCO JSON with RLE segmentations (pycocotools), and read them back.

One category; one annotation per image with a non-empty mask, ``iscrowd`` 0 throughout
(each mask is one object region; RLE is allowed for it and keeps masks exact). Images whose
final mask is empty are listed without an annotation, which COCO reads as "no object".
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from pycocotools import mask as rle

from meddisseg_studio.export.common import (
    CancelCallback,
    ExportError,
    Progress,
    ProgressCallback,
    select,
    staged,
)
from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.project import Project


def mask_to_annotation(mask: np.ndarray, annotation_id: int, image_id: int, category_id: int) -> dict:
    encoded = rle.encode(np.asfortranarray(mask.astype(np.uint8)))
    return {
        "id": annotation_id,
        "image_id": image_id,
        "category_id": category_id,
        "segmentation": {
            "size": [int(mask.shape[0]), int(mask.shape[1])],
            "counts": encoded["counts"].decode("ascii"),
        },
        "area": int(rle.area(encoded)),
        "bbox": [float(v) for v in rle.toBbox(encoded)],
        "iscrowd": 0,
    }


def export_coco(
    project: Project,
    dest: Path | str,
    *,
    statuses: tuple[ReviewStatus, ...] | None = (ReviewStatus.APPROVED,),
    category: str = "lesion",
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> Path:
    """Write ``dest`` (a .json file that must not exist) for the entries with ``statuses``."""
    entries = select(project, statuses)
    steps = Progress(len(entries), progress, should_cancel)
    steps.check()
    images: list[dict] = []
    annotations: list[dict] = []
    for image_id, entry in enumerate(entries, start=1):
        mask = project.load_mask(entry.key)
        if mask is None:
            raise ExportError(f"{entry.key}: no mask is stored to export")
        height, width = (int(v) for v in mask.shape)
        images.append({"id": image_id, "file_name": entry.key, "height": height, "width": width})
        if mask.any():
            annotations.append(mask_to_annotation(mask, len(annotations) + 1, image_id, 1))
        steps.step()
    document = {
        "info": {"description": f"Med-DisSeg Studio export of {project.folder.name}"},
        "images": images,
        "annotations": annotations,
        "categories": [{"id": 1, "name": category, "supercategory": category}],
    }
    with staged(Path(dest), folder=False) as partial:
        partial.write_text(json.dumps(document), encoding="utf-8")
    return Path(dest)


def read_coco_masks(path: Path | str) -> dict[str, np.ndarray]:
    """file_name -> H×W uint8 0/1 mask (union of its annotations; zeros if it has none)."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    masks = {
        image["id"]: (image["file_name"], np.zeros((image["height"], image["width"]), np.uint8))
        for image in document["images"]
    }
    for annotation in document["annotations"]:
        segmentation = dict(annotation["segmentation"])
        segmentation["counts"] = segmentation["counts"].encode("ascii")
        decoded = rle.decode(segmentation)
        masks[annotation["image_id"]][1][decoded > 0] = 1
    return dict(masks.values())
