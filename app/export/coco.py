"""Export masks as COCO JSON with RLE segmentations (pycocotools), and read them back.

One category (``options.label``); one annotation per lesion (an 8-connected component of at
least ``options.min_lesion_area`` pixels, with nearby specks attached: see
:mod:`meddisseg_studio.export.lesions`), ``iscrowd`` 0 throughout. RLE keeps masks exact, and
the union of an image's annotations equals its mask. Images whose mask is empty are listed
without an annotation, which COCO reads as "no object". ``file_name`` is the image's key
(its path relative to the project folder). Each image's ``"meddisseg"`` object says who
approved its mask, when, and which model proposed it (:mod:`meddisseg_studio.export.provenance`).

Findings (``export/findings.py``): with a findings schema every annotation has ``attributes``
(the lesion's values; ``{}`` when none is set), annotation *i* of an image being lesion *i* of
the Findings panel; an image with a comment has ``comment``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from pycocotools import mask as rle

from meddisseg_studio.export.common import (
    CancelCallback,
    ExportOptions,
    ExportResult,
    Progress,
    ProgressCallback,
    select,
    staged,
    stored_mask,
)
from meddisseg_studio.export.findings import export_schema, image_findings
from meddisseg_studio.export.provenance import provenances
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


def write_coco(
    project: Project,
    dest: Path | str,
    *,
    statuses: tuple[ReviewStatus, ...] | None = (ReviewStatus.APPROVED,),
    options: ExportOptions | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> ExportResult:
    """Write ``dest`` (a .json file that must not exist) for the entries with ``statuses``.

    Entries without a stored mask are skipped and listed in the result.
    """
    options = options or ExportOptions()
    dest = Path(dest)
    entries = select(project, statuses)
    steps = Progress(len(entries), progress, should_cancel)
    steps.check()
    images: list[dict] = []
    annotations: list[dict] = []
    skipped: list[tuple[str, str]] = []
    schema = export_schema(project)
    known = provenances(project)
    for entry in entries:
        mask = stored_mask(project, entry.key)
        if isinstance(mask, str):
            skipped.append((entry.key, mask))
            steps.step()
            continue
        image_id = len(images) + 1
        height, width = (int(v) for v in mask.shape)
        image = {
            "id": image_id,
            "file_name": entry.key,
            "height": height,
            "width": width,
            "meddisseg": known[entry.key].as_dict(),
        }
        found = image_findings(project, entry.key, mask, options.min_lesion_area)
        if found.comment:
            image["comment"] = found.comment
        images.append(image)
        for lesion in found.lesions:
            annotation = mask_to_annotation(lesion.region, len(annotations) + 1, image_id, 1)
            if schema is not None:
                annotation["attributes"] = lesion.values
            annotations.append(annotation)
        steps.step()
    document = {
        "info": {"description": f"Med-DisSeg Studio export of {project.folder.name}"},
        "images": images,
        "annotations": annotations,
        "categories": [{"id": 1, "name": options.label, "supercategory": options.label}],
    }
    with staged(dest, folder=False) as partial:
        partial.write_text(json.dumps(document), encoding="utf-8")
    return ExportResult("coco", dest, (dest,), tuple(skipped))


def export_coco(
    project: Project,
    dest: Path | str,
    *,
    statuses: tuple[ReviewStatus, ...] | None = (ReviewStatus.APPROVED,),
    category: str = "lesion",
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> Path:
    """:func:`write_coco`; returns ``dest`` (kept for older callers)."""
    options = ExportOptions(label=category)
    result = write_coco(
        project, dest, statuses=statuses, options=options, progress=progress, should_cancel=should_cancel
    )
    return result.dest


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
