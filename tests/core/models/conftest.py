"""Fixtures of the model registry and download tests: tiny checkpoints, an isolated data folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import torch
from model_helpers import tiny_network

from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own user folders; no proxy from the machine leaks in."""
    home = tmp_path / "home"
    monkeypatch.setenv("MEDDISSEG_HOME", str(home))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the machine is shared; put the setting back afterwards
    yield home
    torch.set_num_threads(threads)


@pytest.fixture
def registry():
    from meddisseg_core.models import ModelRegistry

    return ModelRegistry()


@pytest.fixture
def make_safetensors(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str = "tiny.safetensors", *, stage: int = 2, seed: int = 0, **meta: object) -> Path:
        path = tmp_path / name
        network = tiny_network(stage, seed)
        metadata = ModelMetadata(
            network=network.config, input=InputConvention(size=(64, 64)), name=f"tiny-{seed}", **meta
        )
        save_model(path, network, metadata)
        return path

    return make


@pytest.fixture
def server():
    from model_server import ModelServer

    with ModelServer() as running:
        yield running


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def approved_images(kvasir_dir: Path, tmp_path: Path):
    """8 small Kvasir-SEG images with their true masks as the approved corrections."""
    import cv2

    from meddisseg_core.imageio import read_mask
    from meddisseg_core.models.prepare import ApprovedImage

    folder = tmp_path / "folder"
    folder.mkdir()
    names = [n for n in (kvasir_dir / "train.txt").read_text().split() if n][:8]
    approved = {}
    for name in names:
        image = cv2.imread(str(kvasir_dir / "images" / name))
        mask = read_mask(kvasir_dir / "masks" / name)
        cv2.imwrite(str(folder / name), cv2.resize(image, (96, 80), interpolation=cv2.INTER_AREA))
        small = cv2.resize(mask, (96, 80), interpolation=cv2.INTER_NEAREST)
        approved[name] = ApprovedImage(folder / name, small)
    return folder, approved
