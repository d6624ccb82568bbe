"""Exports of a review project (authors' layout, COCO RLE, overlays, CSV, labelme). No Qt here.

Every export takes ``progress(done, total)`` and ``should_cancel()`` callables, publishes its
result atomically (``<dest>.partial-XXXX`` renamed at the end) and reports what it wrote in an
:class:`ExportResult`. :data:`~meddisseg_studio.export.formats.FORMATS` lists them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Names and the module each comes from. Imported on first use (PEP 562): the window lists the
# formats at start-up, and the exporters' imports (OpenCV, pycocotools) are not needed until an
# export runs.
_SOURCES = {
    "export_authors": "authors",
    "split_names": "authors",
    "write_authors": "authors",
    "export_coco": "coco",
    "read_coco_masks": "coco",
    "write_coco": "coco",
    "DEFAULT_MIN_LESION_AREA": "common",
    "ExportError": "common",
    "ExportOptions": "common",
    "ExportResult": "common",
    "export_csv": "csv",
    "write_csv": "csv",
    "write_labelme": "labelme",
    "count_lesions": "lesions",
    "lesion_regions": "lesions",
    "export_overlays": "overlays",
    "render_overlay": "overlays",
    "write_overlays": "overlays",
}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> object:
    module = _SOURCES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


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
