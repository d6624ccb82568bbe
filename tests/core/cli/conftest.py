"""Fixtures of the CLI tests: a tiny saved model and small data folders from Kvasir-SEG."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from meddisseg_core.cli import main as cli_main

N_IMAGES = 3
BROKEN = "broken.jpg"


@pytest.fixture(autouse=True)
def _one_torch_thread() -> Iterator[None]:
    """Tiny networks on the shared 2-core machine run faster on one thread than fighting for two."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], int]:
    """``meddisseg`` with only the subcommands under test (train belongs to another part)."""
    monkeypatch.setattr(cli_main, "SUBCOMMANDS", ("predict", "evaluate"))
    return cli_main.main


@pytest.fixture(scope="session")
def tiny_weights(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny stage-1 network with a 64×64 input, saved in our safetensors format."""
    import torch

    from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
    from meddisseg_core.nn import NetworkConfig, build_network

    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(1))
    metadata = ModelMetadata(network=network.config, input=InputConvention(size=(64, 64)), name="tiny-test")
    path = tmp_path_factory.mktemp("weights") / "tiny.safetensors"
    save_model(path, network, metadata)
    return path


@pytest.fixture
def kvasir_sample(kvasir_dir: Path, tmp_path: Path) -> Path:
    """A dataset folder (images/, masks/, val.txt) with 3 Kvasir pairs and one corrupt image."""
    names = (kvasir_dir / "val.txt").read_text().split()[:N_IMAGES]
    root = tmp_path / "data"
    for sub in ("images", "masks"):
        (root / sub).mkdir(parents=True)
        for name in names:
            shutil.copyfile(kvasir_dir / sub / name, root / sub / name)
    # Half a JPEG: the header is fine, the data is cut short.
    first = (kvasir_dir / "images" / names[0]).read_bytes()
    (root / "images" / BROKEN).write_bytes(first[: len(first) // 3])
    shutil.copyfile(kvasir_dir / "masks" / names[0], root / "masks" / BROKEN)
    (root / "val.txt").write_text("\n".join([*names, BROKEN]) + "\n")
    return root
