"""Samples: the authors' tensor convention, mask decoding, and the stage-2 background target."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import torch

from meddisseg_core.data import DataConfig, SegmentationDataset, open_dataset, read_mask_binary


def test_validation_sample_follows_the_authors_convention(small_dataset: Path) -> None:
    config = DataConfig(image_size=64)
    spec = open_dataset(small_dataset, config)
    ds = SegmentationDataset(spec, spec.split.val, config, stage=2, train=False)
    image, mask, background = ds[0]
    name = spec.split.val[0]
    bgr = cv2.imread(str(small_dataset / "images" / name), cv2.IMREAD_COLOR)
    expected = cv2.resize(bgr, (64, 64), interpolation=cv2.INTER_LINEAR).transpose(2, 0, 1) / 255.0
    assert image.shape == (3, 64, 64) and image.dtype == torch.float32
    assert np.allclose(image.numpy(), expected, atol=1e-6)  # BGR kept, /255, linear resize
    assert mask.shape == (1, 64, 64)
    soft = ((mask > 0) & (mask < 1)).sum().item()
    assert soft > 0  # bilinear-resized soft targets at the borders, not binarised
    assert torch.allclose(mask + background, torch.ones_like(mask), atol=1 / 255 + 1e-6)


def test_background_follows_the_augmented_mask_unless_authors_mode(small_dataset: Path) -> None:
    for fixed in (True, False):
        config = DataConfig(image_size=64, background_from_augmented_mask=fixed)
        spec = open_dataset(small_dataset, config)
        ds = SegmentationDataset(spec, spec.split.train, config, stage=1, train=True)
        misaligned = 0
        for seed in range(12):
            ds.reseed(seed)
            _, mask, background = ds[0]
            misaligned += int(not torch.allclose(mask + background, torch.ones_like(mask), atol=0.01))
        assert (misaligned == 0) if fixed else (misaligned > 0)


def test_mask_decoding_of_16bit_and_label_pngs(tmp_path: Path) -> None:
    labels = np.zeros((8, 8), np.uint8)
    labels[2:5, 2:5] = 1
    cv2.imwrite(str(tmp_path / "labels.png"), labels)
    wide = labels.astype(np.uint16) * 65535
    cv2.imwrite(str(tmp_path / "wide.png"), wide)
    noisy = labels * 200 + 20  # JPEG-like noise: background 20, foreground 220
    cv2.imwrite(str(tmp_path / "noisy.png"), noisy)
    for name in ("labels.png", "wide.png", "noisy.png"):
        decoded = read_mask_binary(tmp_path / name)
        assert decoded.dtype == np.uint8
        assert np.array_equal(decoded, labels * 255), name
