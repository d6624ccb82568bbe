"""Imports into a review project: mask folders, COCO JSON, labelme JSON. No Qt here.

Shared by the app and the headless ``meddisseg-studio import`` command. The overwrite rule and
the report are in :mod:`meddisseg_studio.imports.common`.
"""

from meddisseg_studio.imports.coco import import_coco
from meddisseg_studio.imports.common import ImportAs, ImportFailedError, ImportReport
from meddisseg_studio.imports.labelme import import_labelme
from meddisseg_studio.imports.masks import import_masks

SOURCES = ("masks", "coco", "labelme")

__all__ = [
    "SOURCES",
    "ImportAs",
    "ImportFailedError",
    "ImportReport",
    "import_coco",
    "import_labelme",
    "import_masks",
]
