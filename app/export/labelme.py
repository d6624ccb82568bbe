"""labelme JSON: one ``<stem>.json`` per image, beside a copy of the image, openable in labelme.

Polygons come from the mask's contours. labelme has no holes, so they are written as ordered
polygons (see :mod:`meddisseg_studio.export.polygons`): a lesion's outline with the class label,
then each hole's outline with the label ``_background_``, which labelme's own mask conversion
(``labelme_json_to_dataset``, ``labelme2voc``) paints as background because later shapes are
drawn over earlier ones. All rings of one lesion share a ``group_id`` (1, 2, ... per image), and
``description`` says "lesion N" or "hole in lesion N". Reading the shapes in order and painting
class polygons with 1 and ``_background_`` polygons with 0 gives back the mask exactly.

Findings (``export/findings.py``), with a findings schema: each class polygon carries its
lesion's values, an enum value as the flag ``"<name>=<choice>": true`` and any other value as a
``<name>: <value>`` line after the first line of ``description``. An image's comment is the
top-level ``comment`` key (labelme keeps keys it does not know when it saves a file).

Provenance (:mod:`meddisseg_studio.export.provenance`): who approved the mask, when, its sha256 and
the model that proposed it, in the top-level ``"meddisseg"`` object, as in the COCO export.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from meddisseg_studio.export.common import (
    CancelCallback,
    ExportOptions,
    ExportResult,
    Progress,
    ProgressCallback,
    Written,
    read_source,
    select,
    staged,
    stored_mask,
)
from meddisseg_studio.export.findings import (
    export_schema,
    image_findings,
    labelme_description_lines,
    labelme_flags,
)
from meddisseg_studio.export.names import assign_names
from meddisseg_studio.export.polygons import mask_to_rings
from meddisseg_studio.export.provenance import provenances
from meddisseg_studio.state.findings import ImageFindings, owner_map
from meddisseg_studio.state.findings_schema import FindingsSchema
from meddisseg_studio.state.model import ReviewStatus
from meddisseg_studio.state.project import Project

BACKGROUND_LABEL = "_background_"
LABELME_VERSION = "5.5.0"  # the file layout written here is labelme 5's


def labelme_document(mask_rings: list, label: str, image_name: str, height: int, width: int) -> dict:
    """The labelme JSON object for one image from :func:`mask_to_rings` output."""
    shapes = []
    for ring in mask_rings:
        shapes.append(
            {
                "label": label if ring.fill else BACKGROUND_LABEL,
                "points": [[float(x), float(y)] for x, y in ring.points],
                "group_id": ring.group,
                "description": f"lesion {ring.group}" if ring.fill else f"hole in lesion {ring.group}",
                "shape_type": "polygon",
                "flags": {},
                "mask": None,
            }
        )
    return {
        "version": LABELME_VERSION,
        "flags": {},
        "shapes": shapes,
        "imagePath": image_name,
        "imageData": None,
        "imageHeight": height,
        "imageWidth": width,
    }


def add_findings(
    document: dict, mask_rings: list, schema: FindingsSchema | None, found: ImageFindings
) -> None:
    """Put the lesions' values on their class polygons and the comment on ``document``."""
    if schema is not None and found.lesions:
        owner = owner_map([lesion.region for lesion in found.lesions], found.lesions[0].region.shape)
        for ring, shape in zip(mask_rings, document["shapes"], strict=True):
            x, y = (int(v) for v in ring.points[0])
            number = int(owner[y, x])
            if not ring.fill or number == 0:
                continue
            values = found.lesions[number - 1].values
            shape["flags"] = labelme_flags(schema, values)
            lines = labelme_description_lines(schema, values)
            shape["description"] = "\n".join([shape["description"], *lines])
    if found.comment:
        document["comment"] = found.comment


def write_labelme(
    project: Project,
    dest: Path | str,
    *,
    statuses: tuple[ReviewStatus, ...] | None = (ReviewStatus.APPROVED,),
    options: ExportOptions | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> ExportResult:
    """Write ``<dest>/<stem>.json`` and ``<dest>/<stem><image suffix>`` for each entry."""
    options = options or ExportOptions()
    dest = Path(dest)
    entries = select(project, statuses)
    assignment = assign_names([e.key for e in entries], ".json")
    steps = Progress(len(entries), progress, should_cancel)
    steps.check()
    skipped: list[tuple[str, str]] = []
    schema = export_schema(project)
    known = provenances(project)
    with staged(dest, folder=True) as partial:
        out = Written(partial)
        for entry in entries:
            json_name = assignment.names[entry.key]
            image_name = PurePosixPath(json_name).stem + entry.path.suffix
            mask = stored_mask(project, entry.key)
            if isinstance(mask, str):
                skipped.append((entry.key, mask))
                steps.step()
                continue
            source = read_source(project, entry.key)  # gone since the check above, say
            if isinstance(source, str):
                skipped.append((entry.key, source))
                steps.step()
                continue
            height, width = (int(v) for v in mask.shape)
            rings = mask_to_rings(mask)
            document = labelme_document(rings, options.label, image_name, height, width)
            found = image_findings(project, entry.key, mask, options.min_lesion_area)
            add_findings(document, rings, schema, found)
            document["meddisseg"] = known[entry.key].as_dict()
            out.bytes(image_name, source)
            out.text(json_name, json.dumps(document, ensure_ascii=False, indent=1))
            steps.step()
    renamed = assignment.renamed_except(skipped)
    return ExportResult("labelme", dest, out.published(dest), tuple(skipped), renamed)
