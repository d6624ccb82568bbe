"""Fixtures of the training tests: a few small Kvasir-SEG samples copied into tmp folders."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest
import torch

SAMPLE_COUNT = 6
SAMPLE_SIZE = (80, 72)  # (width, height) of the shrunken copies; not square on purpose


def _first_names(kvasir_dir: Path, count: int) -> list[str]:
    names = [n.strip() for n in (kvasir_dir / "train.txt").read_text().splitlines() if n.strip()]
    return names[:count]


@pytest.fixture(scope="session")
def _small_dataset_template(kvasir_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kvasir_small")
    (root / "images").mkdir()
    (root / "masks").mkdir()
    for name in _first_names(kvasir_dir, SAMPLE_COUNT):
        image = cv2.imread(str(kvasir_dir / "images" / name), cv2.IMREAD_COLOR)
        mask = cv2.imread(str(kvasir_dir / "masks" / name), cv2.IMREAD_GRAYSCALE)
        cv2.imwrite(str(root / "images" / name), cv2.resize(image, SAMPLE_SIZE, interpolation=cv2.INTER_AREA))
        cv2.imwrite(
            str(root / "masks" / name), cv2.resize(mask, SAMPLE_SIZE, interpolation=cv2.INTER_NEAREST)
        )
    return root


@pytest.fixture
def small_dataset(_small_dataset_template: Path, tmp_path: Path) -> Path:
    """A writable copy of 6 small Kvasir-SEG samples (images/, masks/, no split files)."""
    target = tmp_path / "data"
    shutil.copytree(_small_dataset_template, target)
    return target


@pytest.fixture(autouse=True)
def _few_threads() -> Iterator[None]:
    # Other engineers run tests on the same 2 cores. Restored afterwards, so that no later test
    # (or benchmark in the same process) silently runs on one thread.
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def tiny_config(**overrides: object):
    """A tiny, fast TrainConfig (stage 2 unless overridden) for CPU tests."""
    from meddisseg_core.train.config import resolve_config

    base: dict[str, object] = {
        "stage": 2,
        "network": "tiny",
        "epochs": 1,
        "batch_size": 2,
        "progress": False,
        "data": {"image_size": 32, "val_fraction": 0.34},
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}  # type: ignore[dict-item]
        else:
            base[key] = value
    return resolve_config(None, None, base)


def read_events(path: Path) -> list[dict]:
    import json

    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
