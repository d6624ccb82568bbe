"""Dataset folders, split files, per-stage augmentation and the training Dataset."""

from meddisseg_core.data.augment import build_augmentation
from meddisseg_core.data.dataset import (
    DataConfig,
    DatasetSpec,
    SegmentationDataset,
    open_dataset,
    worker_init,
)
from meddisseg_core.data.io import image_size, read_image_bgr, read_mask_binary
from meddisseg_core.data.splits import Split, make_split, read_split_file, write_split_file

__all__ = [
    "DataConfig",
    "DatasetSpec",
    "SegmentationDataset",
    "Split",
    "build_augmentation",
    "image_size",
    "make_split",
    "open_dataset",
    "read_image_bgr",
    "read_mask_binary",
    "read_split_file",
    "worker_init",
    "write_split_file",
]
