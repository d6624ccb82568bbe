"""Exports of a review project (authors' layout, COCO RLE, overlays, CSV, labelme). No Qt here.

Every export takes ``progress(done, total)`` and ``should_cancel()`` callables, publishes its
result atomically (``<dest>.partial-XXXX`` renamed at the end) and reports what it wrote in an
:class:`ExportResult`. :data:`~meddisseg_studio.export.formats.FORMATS` lists them all.
"""

from meddisseg_studio.export.authors import export_authors, split_names, write_authors
from meddisseg_studio.export.coco import export_coco, read_coco_masks, write_coco
from meddisseg_studio.export.common import (
    DEFAULT_MIN_LESION_AREA,
    ExportError,
    ExportOptions,
    ExportResult,
)
from meddisseg_studio.export.csv import export_csv, write_csv
from meddisseg_studio.export.labelme import write_labelme
from meddisseg_studio.export.lesions import count_lesions, lesion_regions
from meddisseg_studio.export.overlays import export_overlays, render_overlay, write_overlays

__all__ = [
    "DEFAULT_MIN_LESION_AREA",
    "ExportError",
    "ExportOptions",
    "ExportResult",
    "count_lesions",
    "export_authors",
    "export_coco",
    "export_csv",
    "export_overlays",
    "lesion_regions",
    "read_coco_masks",
    "render_overlay",
    "split_names",
    "write_authors",
    "write_coco",
    "write_csv",
    "write_labelme",
    "write_overlays",
]
