"""Lesions of a mask for the exports: one region per lesion (an 8-connected component of at least
a minimum area, nearby specks attached). The rule lives with the state (``state/lesions.py``),
which the Findings panel numbers its lesions by too, so lesion *i* there is COCO annotation *i*.
"""

from __future__ import annotations

from meddisseg_studio.state.lesions import count_lesions, lesion_regions

__all__ = ["count_lesions", "lesion_regions"]
