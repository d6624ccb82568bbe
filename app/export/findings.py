"""What the exports write of the findings: per-lesion values and the image comment.

A project without a findings schema exports exactly as before, except that an image with a
comment carries it. With a schema every lesion carries its values (an empty set when none is
set): COCO ``attributes``, labelme ``flags`` and ``description`` lines, CSV columns. Values
follow the lesions by the identity rule of ``state/findings.py``; orphaned values (their lesion
was erased or merged) are not exported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from meddisseg_studio.state.findings import ImageFindings
from meddisseg_studio.state.findings_schema import FindingsSchema
from meddisseg_studio.state.project import Project

if TYPE_CHECKING:
    import numpy as np

# labelme: an enum value is the flag ``<name>=<choice>``; other values are description lines.
FLAG_SEPARATOR = "="
DESCRIPTION_SEPARATOR = ": "


def export_schema(project: Project) -> FindingsSchema | None:
    """The schema whose attributes the export writes (None: no attribute is written)."""
    return project.findings.schema


def image_findings(project: Project, key: str, mask: np.ndarray | None, min_area: int) -> ImageFindings:
    """The lesions of ``mask`` (the exports' regions, largest first) with their values and comment."""
    return project.findings.resolve(key, mask, min_area)


def csv_cell(schema: FindingsSchema, name: str, found: ImageFindings) -> str:
    """One attribute over an image's lesions, in lesion order, joined by ``"; "`` ("" if none set)."""
    attribute = schema.attribute(name)
    cells = [attribute.format(lesion.values.get(name)) for lesion in found.lesions]
    return "; ".join(cells) if any(cells) else ""


def labelme_flags(schema: FindingsSchema, values: dict) -> dict[str, bool]:
    """labelme flags of one lesion: ``{"paris=0-IIa": true}`` for each enum value set."""
    return {
        f"{a.name}{FLAG_SEPARATOR}{values[a.name]}": True
        for a in schema.attributes
        if a.kind == "enum" and a.name in values
    }


def labelme_description_lines(schema: FindingsSchema, values: dict) -> list[str]:
    """``name: value`` lines of one lesion's non-enum values (text is one line by the schema)."""
    return [
        f"{a.name}{DESCRIPTION_SEPARATOR}{a.format(values[a.name])}"
        for a in schema.attributes
        if a.kind != "enum" and a.name in values
    ]
