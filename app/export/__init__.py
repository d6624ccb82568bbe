"""Exports of a review project (authors' layout, COCO RLE, overlays, CSV). No Qt here.

Every export takes ``progress(done, total)`` and ``should_cancel()`` callables and publishes
its result atomically (``<dest>.partial-XXXX`` renamed at the end).
"""

from meddisseg_studio.export.authors import export_authors, split_names
from meddisseg_studio.export.coco import export_coco, read_coco_masks
from meddisseg_studio.export.common import ExportError
from meddisseg_studio.export.csv import export_csv
from meddisseg_studio.export.overlays import export_overlays, render_overlay

__all__ = [
    "ExportError",
    "export_authors",
    "export_coco",
    "export_csv",
    "export_overlays",
    "read_coco_masks",
    "render_overlay",
    "split_names",
]
