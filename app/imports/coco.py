"""Import a COCO instances JSON: polygon, RLE and uncompressed-RLE segmentations.

Each COCO image is matched to a project image by ``file_name`` (full relative path first, then
the bare name). Its mask is the union of its annotations of the chosen categories (all by
default); an image listed without annotations gets an empty mask, which is COCO's "nothing
here". Categories are read from the file's own table (any ids), counted in the report, and can
be chosen by name. Bad annotations, unknown image or category ids and size mismatches are
reported one by one; the rest is imported.

Findings: an annotation's ``attributes`` (a dict, as our COCO export writes it) become the
values of the lesion it overlaps most in the imported mask, checked against the project's
findings schema; an image's ``comment`` becomes its comment (``imports.common.store_findings``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pycocotools import mask as rle

from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.imports.common import (
    ImportAs,
    ImportFailedError,
    ImportReport,
    KeyIndex,
    ProgressCallback,
    check_writable,
    recorded,
    store_findings,
    store_mask,
)
from meddisseg_studio.state.project import Project


def decode_segmentation(segmentation: object, height: int, width: int) -> np.ndarray:
    """H×W uint8 0/1 mask of one COCO segmentation; ValueError says what is wrong with it."""
    if isinstance(segmentation, list):
        polygons = [p for p in segmentation if isinstance(p, list)]
        if len(polygons) != len(segmentation) or any(len(p) < 6 or len(p) % 2 for p in polygons):
            raise ValueError("polygons must be lists of at least 3 x, y pairs")
        if not polygons:
            return np.zeros((height, width), np.uint8)
        encoded = rle.merge(rle.frPyObjects(polygons, height, width))
    elif isinstance(segmentation, dict) and "counts" in segmentation and "size" in segmentation:
        size = [int(v) for v in segmentation["size"]]
        if size != [height, width]:
            raise ValueError(f"RLE size {size[1]}x{size[0]} differs from the image's {width}x{height}")
        counts = segmentation["counts"]
        if isinstance(counts, list):  # uncompressed RLE (iscrowd)
            encoded = rle.frPyObjects(segmentation, height, width)
        elif isinstance(counts, str):
            encoded = {"size": size, "counts": counts.encode("ascii")}
        else:
            raise ValueError("RLE counts must be a string or a list of integers")
    else:
        raise ValueError("segmentation is neither polygons nor RLE")
    decoded = rle.decode(encoded)
    if decoded.ndim == 3:
        decoded = decoded.max(axis=2)
    return (decoded > 0).astype(np.uint8)


def _load(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportFailedError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailedError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(document, dict) or not isinstance(document.get("images"), list):
        raise ImportFailedError(f"{path}: not a COCO file (no 'images' list)")
    return document


def import_coco(
    project: Project,
    source: Path | str,
    *,
    as_status: ImportAs = ImportAs.PROPOSED,
    force: bool = False,
    categories: Sequence[str] | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import the COCO file ``source``; see the module docstring."""
    document = _load(Path(source))
    check_writable(project)
    report = ImportReport("coco")
    names = {c.get("id"): str(c.get("name")) for c in document.get("categories") or [] if isinstance(c, dict)}
    unknown = sorted(set(categories or ()) - set(names.values()))
    if unknown:
        known = sorted(names.values())
        raise ImportFailedError(f"{source}: no category {unknown[0]!r}; the file has {known}")
    wanted = set(names) if categories is None else {i for i, n in names.items() if n in set(categories)}
    by_image: dict[object, list[dict]] = {}
    for annotation in document.get("annotations") or []:
        ident = annotation.get("id") if isinstance(annotation, dict) else None
        if not isinstance(annotation, dict) or "segmentation" not in annotation:
            report.failed.append((f"annotation {ident}", "no segmentation"))
        elif not isinstance(image_id := annotation.get("image_id"), int | str):
            report.failed.append((f"annotation {ident}", f"bad image id {image_id!r:.40}"))
        elif not isinstance(category := annotation.get("category_id"), int | str) or category not in names:
            report.failed.append((f"annotation {ident}", f"unknown category id {category!r:.40}"))
        else:
            by_image.setdefault(annotation.get("image_id"), []).append(annotation)
    index = KeyIndex(project)
    image_ids: set[object] = set()
    used: Counter[str] = Counter()
    images = document["images"]
    for done, image in enumerate(images, start=1):
        if isinstance(image, dict) and isinstance(image.get("id"), int | str):
            image_ids.add(image["id"])
        _import_image(project, image, by_image, wanted, names, used, index, as_status, force, report)
        if progress is not None:
            progress(done, len(images))
    for image_id, listed in by_image.items():
        if image_id not in image_ids:
            report.failed.append((f"annotation {listed[0].get('id')}", f"unknown image id {image_id}"))
    if used:
        counts = ", ".join(f"{name} ({n})" for name, n in sorted(used.items()))
        report.notes.append(f"annotations imported per category: {counts}")
    return recorded(project, report, source, as_status)


def _import_image(
    project: Project,
    image: object,
    by_image: dict[object, list[dict]],
    wanted: set[object],
    names: dict[object, str],
    used: Counter[str],
    index: KeyIndex,
    as_status: ImportAs,
    force: bool,
    report: ImportReport,
) -> None:
    if not isinstance(image, dict) or not {"id", "file_name", "height", "width"} <= set(image):
        report.failed.append((f"image {image!r:.60}", "needs id, file_name, height and width"))
        return
    if not isinstance(image["id"], int | str):
        report.failed.append((f"image {image['id']!r:.60}", "the id must be a number or a string"))
        return
    label = f"image {image['id']} ({image['file_name']})"
    key, why = index.find(str(image["file_name"]))
    if key is None:
        report.failed.append((label, why))
        return
    try:
        height, width = int(image["height"]), int(image["width"])
        shape = project.image_shape(key)
    except (ValueError, TypeError) as exc:
        report.failed.append((label, f"bad height or width ({exc})"))
        return
    except MedDisSegError as exc:
        report.failed.append((label, str(exc)))
        return
    if shape != (height, width):
        report.failed.append((label, f"COCO says {width}x{height}, the image is {shape[1]}x{shape[0]}"))
        return
    mask = np.zeros(shape, np.uint8)
    counted: Counter[str] = Counter()
    candidates: list[tuple[np.ndarray, dict]] = []  # (region, attributes) for the findings
    for annotation in by_image.get(image["id"], []):
        if annotation["category_id"] not in wanted:
            continue
        try:
            region = decode_segmentation(annotation["segmentation"], height, width)
        except (ValueError, TypeError, KeyError) as exc:
            # Never import part of an image's lesions: the whole image waits for a fixed file.
            report.failed.append((label, f"annotation {annotation.get('id')}: {exc}"))
            return
        mask |= region
        counted[names[annotation["category_id"]]] += 1
        if isinstance(attributes := annotation.get("attributes"), dict) and attributes:
            candidates.append((region, attributes))
    used.update(counted)
    if store_mask(project, key, mask, as_status, force, report):
        store_findings(project, key, mask, candidates, image.get("comment"), report)
