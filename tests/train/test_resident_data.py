"""The resident training set: the same pixels as the DataLoader path, augmented on the device.

Without augmentation its batches equal the SegmentationDataset items in the EpochSampler's
order; the spatial augmentation moves image and mask together; the colour one stays in [0, 1];
a seeded stream repeats; a whole run trains without albumentations importable.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

from meddisseg_core.data import DataConfig, SegmentationDataset, open_dataset
from meddisseg_core.data.gpu_augment import AugmentParams, augment_batch
from meddisseg_core.train import TrainRequest, run_training
from meddisseg_core.train.distributed import DistContext, EpochSampler
from meddisseg_core.train.resident import ResidentSet, ResidentTrainLoader

from .conftest import tiny_config


def _loader(small_dataset: Path, augment: bool) -> tuple[ResidentTrainLoader, SegmentationDataset]:
    config = DataConfig(image_size=32, val_fraction=0.34, augment=False)
    spec = open_dataset(small_dataset, config)
    data = ResidentSet.load(spec, spec.split.train, 32, torch.device("cpu"), workers=2)
    loader = ResidentTrainLoader(
        data, batch_size=2, seed=5, ctx=DistContext(), augment=augment, background_from_augmented_mask=True
    )
    return loader, SegmentationDataset(spec, spec.split.train, config, stage=2, train=False)


def test_unaugmented_batches_equal_the_dataset_items(small_dataset: Path) -> None:
    loader, dataset = _loader(small_dataset, augment=False)
    loader.set_epoch(3)
    sampler = EpochSampler(len(dataset), seed=5, shuffle=True, ctx=DistContext())
    sampler.set_epoch(3)
    order = list(sampler)
    batches = list(loader)
    assert len(batches) == len(loader) == 2
    images = torch.cat([b[0] for b in batches])
    masks = torch.cat([b[1] for b in batches])
    backgrounds = torch.cat([b[2] for b in batches])
    for row, index in enumerate(order):
        image, mask, background = dataset[index]
        assert torch.equal(images[row], image)
        assert torch.equal(masks[row], mask)
        torch.testing.assert_close(backgrounds[row], background, rtol=0, atol=1e-6)


def test_spatial_augmentation_moves_image_and_mask_together() -> None:
    g = torch.Generator().manual_seed(0)
    mask = torch.zeros(16, 1, 32, 32)
    mask[:, :, 4:14, 6:20] = 1.0  # an off-centre block: every flip/rotation/shift shows
    image = mask.repeat(1, 3, 1, 1)
    params = AugmentParams(affine_p=1.0, colour_p=0.0)
    out_image, out_mask = augment_batch(image, mask, g, params)
    torch.testing.assert_close(out_image[:, :1], out_mask, rtol=0, atol=1e-5)
    changed = (out_mask - mask).abs().amax(dim=(1, 2, 3)) > 0.1
    assert changed.sum() >= 14  # almost every sample was moved
    assert out_mask.min() >= 0 and out_mask.max() <= 1


def test_colour_augmentation_stays_in_range_and_repeats_with_the_seed() -> None:
    image = torch.rand(8, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    mask = (torch.rand(8, 1, 32, 32, generator=torch.Generator().manual_seed(2)) > 0.5).float()
    params = AugmentParams(affine_p=0.0, colour_p=1.0)
    first = augment_batch(image, mask, torch.Generator().manual_seed(9), params)
    again = augment_batch(image, mask, torch.Generator().manual_seed(9), params)
    other = augment_batch(image, mask, torch.Generator().manual_seed(10), params)
    assert torch.equal(first[0], again[0]) and torch.equal(first[1], again[1])
    assert not torch.equal(first[0], other[0])
    assert first[0].min() >= 0 and first[0].max() <= 1
    # Colour never moves pixels: the mask is only flipped/rotated (dihedral), never resampled.
    assert set(torch.unique(first[1]).tolist()) <= {0.0, 1.0}


@pytest.mark.slow
def test_resident_run_needs_no_albumentations(
    small_dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "albumentations", None)  # any import of it now fails
    config = tiny_config(max_steps=3, data={"resident": True, "augment": True}, logit_losses=True)
    outcome = run_training(TrainRequest(small_dataset, tmp_path / "run", config))
    assert outcome.exit_code == 0
    assert (tmp_path / "run" / "model.safetensors").is_file()
