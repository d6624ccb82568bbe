"""Segmentation dataset folders: discovery, up-front validation, and the torch Dataset.

Layout: ``<root>/images/<name>`` and ``<root>/masks/<name>`` (same file name), with optional
``train.txt`` / ``val.txt``. Everything that can be checked without decoding is checked before
training starts, so a bad dataset fails with a message naming the file instead of crashing
inside a DataLoader worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch
from torch.utils.data import Dataset

from meddisseg_core.data.augment import build_augmentation
from meddisseg_core.data.io import (
    IMAGE_SUFFIXES,
    image_size,
    mask_path_for,
    read_image_bgr,
    read_mask_binary,
)
from meddisseg_core.data.splits import Split, check_disjoint, make_split, read_split_file, write_split_file
from meddisseg_core.errors import ConfigError, DatasetError

_MAX_LISTED_PROBLEMS = 10


@dataclass(frozen=True)
class DataConfig:
    """How a dataset folder becomes training tensors."""

    image_size: int = 256  # square side; the authors train at 256 (must be a multiple of 16)
    val_fraction: float = 0.12  # only used when no split files exist (Kvasir-SEG: 120 of 1000)
    split_seed: int = 0
    augment: bool = True
    # True derives the stage-2 background target from the augmented mask (a fix, §10.8); False
    # reproduces the authors' un-augmented background.
    background_from_augmented_mask: bool = True
    num_workers: int = 0
    # Keep the whole (resized) set on the training device and augment there (data/resident.py):
    # no DataLoader and no albumentations, for GPU runs where decoding would be the bottleneck.
    resident: bool = False

    def __post_init__(self) -> None:
        if self.image_size < 16 or self.image_size % 16:
            raise ConfigError(f"data.image_size must be a positive multiple of 16, got {self.image_size}")
        if self.num_workers < 0:
            raise ConfigError(f"data.num_workers must be >= 0, got {self.num_workers}")


@dataclass(frozen=True)
class DatasetSpec:
    """A validated dataset folder and its split."""

    root: Path
    images_dir: Path
    masks_dir: Path
    split: Split


def _list_images(images_dir: Path) -> list[str]:
    return sorted(
        p.name
        for p in images_dir.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in IMAGE_SUFFIXES
    )


def _resolve_split(root: Path, images_dir: Path, config: DataConfig, write_to: Path | None) -> Split:
    train_file, val_file = root / "train.txt", root / "val.txt"
    if train_file.exists() or val_file.exists():
        if not (train_file.exists() and val_file.exists()):
            missing = val_file if train_file.exists() else train_file
            raise DatasetError(f"{missing}: missing (give both train.txt and val.txt, or neither)")
        split = Split(read_split_file(train_file, images_dir), read_split_file(val_file, images_dir), "files")
        check_disjoint(split, root)
        return split
    names = _list_images(images_dir)
    train, val = make_split(names, config.val_fraction, config.split_seed)
    split = Split(train, val, f"generated (seed {config.split_seed}, val fraction {config.val_fraction})")
    if write_to is not None:
        write_split_file(write_to / "train.txt", train)
        write_split_file(write_to / "val.txt", val)
    return split


def _problems_for(name: str, images_dir: Path, masks_dir: Path) -> str | None:
    image_path, mask_path = images_dir / name, mask_path_for(masks_dir, name)
    if not image_path.is_file():
        return f"{image_path}: image missing"
    if not mask_path.is_file():
        return f"{mask_path}: no mask for image {name!r}"
    try:
        image_hw = image_size(image_path)
        mask_hw = image_size(mask_path)
    except DatasetError as exc:
        return str(exc)
    if image_hw != mask_hw:
        return f"{mask_path}: mask is {mask_hw[1]}x{mask_hw[0]} but its image is {image_hw[1]}x{image_hw[0]}"
    return None


def open_dataset(root: Path, config: DataConfig, *, write_split_to: Path | None = None) -> DatasetSpec:
    """Find, split and validate a dataset folder; raise one DatasetError listing the problems."""
    root = Path(root)
    images_dir, masks_dir = root / "images", root / "masks"
    for folder in (images_dir, masks_dir):
        if not folder.is_dir():
            raise DatasetError(f"{folder}: folder missing (expected {root}/images and {root}/masks)")
    split = _resolve_split(root, images_dir, config, write_split_to)
    problems = [
        problem
        for name in (*split.train, *split.val)
        if (problem := _problems_for(name, images_dir, masks_dir)) is not None
    ]
    if problems:
        shown = "\n  ".join(problems[:_MAX_LISTED_PROBLEMS])
        more = f"\n  ... and {len(problems) - _MAX_LISTED_PROBLEMS} more" if len(problems) > 10 else ""
        raise DatasetError(f"{root}: {len(problems)} problem(s) in the dataset:\n  {shown}{more}")
    return DatasetSpec(root, images_dir, masks_dir, split)


def _to_target(mask_u8: np.ndarray, size: int) -> torch.Tensor:
    resized = cv2.resize(mask_u8, (size, size), interpolation=cv2.INTER_LINEAR)
    return torch.from_numpy(resized.astype(np.float32) / 255.0).unsqueeze(0)


class SegmentationDataset(Dataset):
    """Yields (image 3xSxS BGR in [0,1], mask 1xSxS soft target, background 1xSxS soft target)."""

    def __init__(
        self, spec: DatasetSpec, names: tuple[str, ...], config: DataConfig, *, stage: int, train: bool
    ) -> None:
        self.spec = spec
        self.names = names
        self.config = config
        self.stage = stage
        self.augmentation = (
            build_augmentation(stage, seed=config.split_seed) if train and config.augment else None
        )

    def __len__(self) -> int:
        return len(self.names)

    def reseed(self, seed: int) -> None:
        """Reseed the augmentation RNG (per epoch, and per DataLoader worker)."""
        if self.augmentation is not None:
            self.augmentation.set_random_seed(seed % 2**32)

    def load(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        image = read_image_bgr(self.spec.images_dir / name)
        mask = read_mask_binary(mask_path := mask_path_for(self.spec.masks_dir, name))
        if image.shape[:2] != mask.shape:
            raise DatasetError(f"{mask_path}: mask size {mask.shape} != image {image.shape[:2]}")
        return image, mask

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        image, mask = self.load(self.names[index])
        raw_background = 255 - mask
        if self.augmentation is not None:
            out = self.augmentation(image=image, mask=mask)
            image, mask = out["image"], out["mask"]
        background = 255 - mask if self.config.background_from_augmented_mask else raw_background
        size = self.config.image_size
        resized = cv2.resize(image, (size, size), interpolation=cv2.INTER_LINEAR)
        image_t = torch.from_numpy(np.ascontiguousarray(resized.transpose(2, 0, 1))).float() / 255.0
        return image_t, _to_target(mask, size), _to_target(background, size)


def worker_init(worker_id: int) -> None:
    """DataLoader worker_init_fn: give each worker its own augmentation stream."""
    info = torch.utils.data.get_worker_info()
    if info is not None and isinstance(info.dataset, SegmentationDataset):
        info.dataset.reseed(torch.initial_seed())
