"""The whole training set resident on the training device, batched and augmented there.

For a short GPU run the DataLoader is the bottleneck: decoding JPEGs and augmenting at the
original resolution on the CPU feeds far fewer images per second than an H100 trains. Kvasir-SEG
at 256×256 is 1000 × 196 KB as uint8, so the decoded, resized set simply stays on the GPU; each
batch is gathered by index, converted to float and augmented on the device
(:mod:`meddisseg_core.data.gpu_augment`). Nothing here imports albumentations.

The loaders keep the trainer's interface: ``set_epoch(epoch, skip)`` (a seeded per-epoch order,
sharded under DDP, resumable mid-epoch), ``reseed(seed)`` (the augmentation stream), iteration
over ``(image, mask, background)`` batches, and ``len`` in batches.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np
import torch

from meddisseg_core.data import DataConfig, DatasetSpec, read_image_bgr, read_mask_binary
from meddisseg_core.data.gpu_augment import AugmentParams, augment_batch
from meddisseg_core.data.io import mask_path_for
from meddisseg_core.train.distributed import DistContext, EpochSampler

Batch = tuple[torch.Tensor, torch.Tensor, torch.Tensor]


def _load_pair(spec: DatasetSpec, name: str, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(BGR uint8 S×S×3, mask uint8 S×S) resized the way SegmentationDataset resizes them."""
    image = read_image_bgr(spec.images_dir / name)
    mask = read_mask_binary(mask_path_for(spec.masks_dir, name))
    if image.shape[:2] != (size, size):
        image = cv2.resize(image, (size, size), interpolation=cv2.INTER_LINEAR)
    if mask.shape != (size, size):
        mask = cv2.resize(mask, (size, size), interpolation=cv2.INTER_LINEAR)
    return image, mask


class ResidentSet:
    """Images (N×3×S×S) and soft masks (N×1×S×S), uint8, on one device."""

    def __init__(self, images: torch.Tensor, masks: torch.Tensor) -> None:
        self.images = images
        self.masks = masks

    def __len__(self) -> int:
        return int(self.images.shape[0])

    @classmethod
    def load(
        cls, spec: DatasetSpec, names: Sequence[str], size: int, device: torch.device, workers: int = 8
    ) -> ResidentSet:
        # OpenCV releases the GIL while decoding and resizing, so threads scale.
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            pairs = list(pool.map(lambda name: _load_pair(spec, name, size), names))
        images = np.stack([image.transpose(2, 0, 1) for image, _ in pairs])
        masks = np.stack([mask[None] for _, mask in pairs])
        return cls(torch.from_numpy(images).to(device), torch.from_numpy(masks).to(device))

    def batch(self, index: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Float images in [0, 1] and float soft masks in [0, 1] of the samples at ``index``."""
        return self.images[index].float().div_(255.0), self.masks[index].float().div_(255.0)


class ResidentTrainLoader:
    """Shuffled, augmented training batches of a :class:`ResidentSet`."""

    def __init__(
        self,
        data: ResidentSet,
        *,
        batch_size: int,
        seed: int,
        ctx: DistContext,
        augment: bool,
        background_from_augmented_mask: bool,
        params: AugmentParams | None = None,
    ) -> None:
        self.data = data
        self.batch_size = batch_size
        self.sampler = EpochSampler(len(data), seed=seed, shuffle=True, ctx=ctx)
        self.augment = augment
        self.background_from_augmented_mask = background_from_augmented_mask
        self.params = params or AugmentParams()
        self.generator = torch.Generator(device=data.images.device)
        self.generator.manual_seed(seed)

    def set_epoch(self, epoch: int, skip: int = 0) -> None:
        self.sampler.set_epoch(epoch, skip)

    def reseed(self, seed: int) -> None:
        self.generator.manual_seed(seed % 2**63)

    def __len__(self) -> int:
        return -(-len(self.sampler) // self.batch_size)

    def __iter__(self) -> Iterator[Batch]:
        order = list(self.sampler)
        device = self.data.images.device
        for start in range(0, len(order), self.batch_size):
            index = torch.tensor(order[start : start + self.batch_size], device=device)
            x, y = self.data.batch(index)
            raw_background = 1.0 - y
            if self.augment:
                x, y = augment_batch(x, y, self.generator, self.params)
            background = 1.0 - y if self.background_from_augmented_mask else raw_background
            yield x, y, background


class ResidentValLoader:
    """Validation batches in order; under DDP each rank takes a disjoint slice."""

    def __init__(self, data: ResidentSet, *, batch_size: int, ctx: DistContext) -> None:
        self.data = data
        self.batch_size = batch_size
        self.indices = list(range(ctx.rank, len(data), ctx.world_size))

    def __len__(self) -> int:
        return -(-len(self.indices) // self.batch_size)

    def __iter__(self) -> Iterator[Batch]:
        device = self.data.images.device
        for start in range(0, len(self.indices), self.batch_size):
            index = torch.tensor(self.indices[start : start + self.batch_size], device=device)
            x, y = self.data.batch(index)
            yield x, y, 1.0 - y


def resident_loaders(
    spec: DatasetSpec,
    config: DataConfig,
    *,
    batch_size: int,
    seed: int,
    stage: int,
    ctx: DistContext,
    device: torch.device,
) -> tuple[ResidentTrainLoader, ResidentValLoader]:
    """Load train and val sets onto ``device`` and wrap them in loaders."""
    del stage  # both stages train on the same device augmentation
    size = config.image_size
    train = ResidentSet.load(spec, spec.split.train, size, device)
    val = ResidentSet.load(spec, spec.split.val, size, device)
    train_loader = ResidentTrainLoader(
        train,
        batch_size=batch_size,
        seed=seed,
        ctx=ctx,
        augment=config.augment,
        background_from_augmented_mask=config.background_from_augmented_mask,
    )
    return train_loader, ResidentValLoader(val, batch_size=batch_size, ctx=ctx)
