"""Per-stage spatial augmentation (ARCHITECTURE.md §8), expressed for albumentations 2.x.

The authors' CoarseDropout arguments (max_holes/max_height/max_width) are ignored by 2.x, so
the 1.3-era meaning is spelled out: exactly 10 holes of exactly 32 x 32 px at the original
resolution, filled with 0 on the image only (the mask is left as it is).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2

if TYPE_CHECKING:
    import albumentations as A

# (rotate limit in degrees, rotate p, flip p) per stage, from the authors' two training scripts.
_STAGE_RECIPE = {1: (90.0, 0.5, 0.5), 2: (35.0, 0.3, 0.3)}
_DROPOUT_P = 0.3


def build_augmentation(stage: int, seed: int | None = None) -> A.Compose:
    """The training augmentation of ``stage`` (1 or 2), applied before resizing."""
    # Imported here so that inference and benchmarks run where albumentations is not installed.
    import albumentations as A

    if stage not in _STAGE_RECIPE:
        raise ValueError(f"stage must be 1 or 2, got {stage!r}")
    limit, rotate_p, flip_p = _STAGE_RECIPE[stage]
    transforms = [
        A.Rotate(
            limit=(-limit, limit),
            interpolation=cv2.INTER_LINEAR,
            mask_interpolation=cv2.INTER_NEAREST,
            border_mode=cv2.BORDER_REFLECT_101,
            p=rotate_p,
        ),
        A.HorizontalFlip(p=flip_p),
        A.VerticalFlip(p=flip_p),
        A.CoarseDropout(
            num_holes_range=(10, 10),
            hole_height_range=(32, 32),
            hole_width_range=(32, 32),
            fill=0,
            fill_mask=None,
            p=_DROPOUT_P,
        ),
    ]
    return A.Compose(transforms, seed=seed)
