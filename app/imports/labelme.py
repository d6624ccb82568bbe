"""Import labelme JSON files: polygons (and rectangles, circles, masks) painted in file order.

Each JSON is matched to a project image by ``imagePath`` (its bare name when it points
elsewhere), else by the JSON's own stem. Shapes are painted in order, as labelme's own
conversion does: a shape labelled ``_background_`` clears its area (that is how our labelme
export writes holes), any other label sets it, unless ``labels`` restricts which labels count.
Points, lines and line strips have no area and are ignored (counted in the notes).

Findings, as our labelme export writes them: on a class polygon, a flag ``"<name>=<choice>":
true`` and a ``<name>: <value>`` line after the first line of ``description`` are values of the
lesion that polygon overlaps most; the top-level ``comment`` is the image's comment. Values are
checked against the project's findings schema (``imports.common.store_findings``).
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from meddisseg_core.errors import MedDisSegError
from meddisseg_studio.imports.common import (
    ImportAs,
    ImportFailedError,
    ImportReport,
    KeyIndex,
    ProgressCallback,
    check_writable,
    image_files,
    recorded,
    store_findings,
    store_mask,
)
from meddisseg_studio.state.project import Project

BACKGROUND_LABELS = frozenset({"_background_", "background", "__ignore__"})
_NO_AREA = frozenset({"point", "points", "line", "linestrip"})


def _points(shape: dict) -> np.ndarray:
    points = np.asarray(shape.get("points"), dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0 or not np.isfinite(points).all():
        raise ValueError("points must be a non-empty list of [x, y] numbers")
    return points


def paint_shape(canvas: np.ndarray, shape: dict, value: int) -> None:
    """Paint one labelme shape onto ``canvas`` (H×W uint8) with ``value``; ValueError if bad."""
    kind = shape.get("shape_type") or "polygon"
    points = _points(shape)
    pixel = np.rint(points).astype(np.int32)
    if kind == "polygon":
        cv2.fillPoly(canvas, [pixel], value)
    elif kind == "rectangle" and len(pixel) >= 2:
        (x0, y0), (x1, y1) = pixel[0], pixel[1]
        cv2.rectangle(canvas, (int(x0), int(y0)), (int(x1), int(y1)), value, thickness=-1)
    elif kind == "circle" and len(points) >= 2:
        radius = round(float(np.linalg.norm(points[1] - points[0])))
        cv2.circle(canvas, (int(pixel[0][0]), int(pixel[0][1])), radius, value, thickness=-1)
    elif kind == "mask" and isinstance(shape.get("mask"), str):
        data = np.frombuffer(base64.b64decode(shape["mask"], validate=True), np.uint8)
        patch = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
        if patch is None:
            raise ValueError("the shape's mask is not a decodable image")
        x0, y0 = int(np.floor(points[0][0])), int(np.floor(points[0][1]))
        region = canvas[max(y0, 0) : y0 + patch.shape[0], max(x0, 0) : x0 + patch.shape[1]]
        cut = patch[max(-y0, 0) :, max(-x0, 0) :][: region.shape[0], : region.shape[1]]
        region[cut > 0] = value
    else:
        raise ValueError(f"unsupported or incomplete shape_type {kind!r}")


def labelme_mask(document: dict, shape: tuple[int, int], labels: Sequence[str] | None) -> np.ndarray:
    """The H×W uint8 0/1 mask of a labelme document's shapes; ValueError names a bad shape."""
    canvas = np.zeros(shape, np.uint8)
    for number, item in enumerate(document.get("shapes") or [], start=1):
        if not isinstance(item, dict):
            raise ValueError(f"shape {number} is not an object")
        label = str(item.get("label", ""))
        if (item.get("shape_type") or "polygon") in _NO_AREA:
            continue
        if label in BACKGROUND_LABELS:
            value = 0
        elif labels is None or label in labels:
            value = 1
        else:
            continue
        try:
            paint_shape(canvas, item, value)
        except (ValueError, TypeError, cv2.error) as exc:
            raise ValueError(f"shape {number} ({label!r}): {exc}") from exc
    return canvas


def _document(path: str) -> dict:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not readable JSON ({exc})") from exc
    if not isinstance(document, dict) or not isinstance(document.get("shapes"), list):
        raise ValueError("not a labelme file (no 'shapes' list)")
    return document


def import_labelme(
    project: Project,
    source: Path | str,
    *,
    as_status: ImportAs = ImportAs.PROPOSED,
    force: bool = False,
    labels: Sequence[str] | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import one labelme JSON file, or every ``*.json`` under a folder."""
    source = Path(source)
    if source.is_file():
        files = [(source.name, str(source))]
    elif source.is_dir():
        files = image_files(source, frozenset({".json"}))
    else:
        raise ImportFailedError(f"{source}: no such file or folder")
    check_writable(project)
    report = ImportReport("labelme")
    index = KeyIndex(project)
    ignored: Counter[str] = Counter()
    for done, (relative, path) in enumerate(files, start=1):
        _import_file(project, relative, path, index, labels, as_status, force, report, ignored)
        if progress is not None:
            progress(done, len(files))
    if ignored:
        counts = ", ".join(f"{kind} ({n})" for kind, n in ignored.items())
        report.notes.append(f"shapes without area ignored: {counts}")
    if not files:
        report.notes.append(f"no .json files under {source}")
    return recorded(project, report, source, as_status)


def _import_file(
    project: Project,
    relative: str,
    path: str,
    index: KeyIndex,
    labels: Sequence[str] | None,
    as_status: ImportAs,
    force: bool,
    report: ImportReport,
    ignored: Counter[str],
) -> None:
    try:
        document = _document(path)
    except ValueError as exc:
        report.failed.append((relative, str(exc)))
        return
    reference = str(document.get("imagePath") or "")
    key, why = index.find(reference) if reference else (None, "")
    if key is None:
        key, why = index.find(str(Path(relative).with_suffix("")))
    if key is None:
        report.failed.append((relative, f"image {reference or relative!r}: {why}"))
        return
    try:
        shape = project.image_shape(key)
    except MedDisSegError as exc:
        report.failed.append((relative, str(exc)))
        return
    declared = (document.get("imageHeight"), document.get("imageWidth"))
    if None not in declared and tuple(declared) != shape:
        report.failed.append(
            (relative, f"it says {declared[1]}x{declared[0]}, the image {key} is {shape[1]}x{shape[0]}")
        )
        return
    for item in document["shapes"]:
        if isinstance(item, dict) and (item.get("shape_type") or "polygon") in _NO_AREA:
            ignored[str(item.get("shape_type"))] += 1
    try:
        mask = labelme_mask(document, shape, labels)
    except ValueError as exc:
        report.failed.append((relative, str(exc)))
        return
    if store_mask(project, key, mask, as_status, force, report):
        candidates = lesion_values(document, shape, labels)
        store_findings(project, key, mask, candidates, document.get("comment"), report)


def shape_values(item: dict) -> dict[str, str]:
    """The findings written on one labelme shape: its true ``name=value`` flags and the
    ``name: value`` lines of its description after the first."""
    values: dict[str, str] = {}
    flags = item.get("flags")
    if isinstance(flags, dict):
        for flag, on in flags.items():
            name, sep, value = str(flag).partition("=")
            if sep and on is True:
                values[name] = value
    description = item.get("description")
    if isinstance(description, str):
        for line in description.splitlines()[1:]:
            name, sep, value = line.partition(": ")
            if sep:
                values[name.strip()] = value
    return values


def lesion_values(document: dict, shape: tuple[int, int], labels: Sequence[str] | None) -> list:
    """(painted region, values) of every class shape that carries findings."""
    candidates = []
    for item in document.get("shapes") or []:
        label = str(item.get("label", ""))
        if (item.get("shape_type") or "polygon") in _NO_AREA or label in BACKGROUND_LABELS:
            continue
        if labels is not None and label not in labels:
            continue
        values = shape_values(item)
        if values:
            region = np.zeros(shape, np.uint8)
            paint_shape(region, item, 1)  # painted before, in labelme_mask: it is valid
            candidates.append((region, values))
    return candidates
