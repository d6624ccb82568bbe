"""Fixtures for the network tests: the conformance parameter rule and the golden forward data."""

from __future__ import annotations

import math
import zlib
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn


def conformance_state_dict(network: nn.Module) -> dict[str, torch.Tensor]:
    """Parameters by the deterministic rule of conformance/README.md.

    The README says the values are drawn in float32, but the golden outputs match only when the
    generators draw float64 (``dtype=torch.float64``); float32 draws give different numbers.
    ``load_state_dict`` then casts them to the network's dtype.
    """
    out: dict[str, torch.Tensor] = {}
    for key, ref in network.state_dict().items():
        g = torch.Generator().manual_seed(zlib.crc32(key.encode("utf-8")))
        shape = tuple(ref.shape)
        if key.endswith("num_batches_tracked"):
            value = torch.zeros(shape, dtype=ref.dtype)
        elif key.endswith("running_var"):
            value = 0.5 + torch.rand(shape, generator=g, dtype=torch.float64)
        elif key.endswith("running_mean"):
            value = 0.1 * torch.randn(shape, generator=g, dtype=torch.float64)
        elif len(shape) == 1 and key.endswith("weight"):
            value = 1 + 0.1 * torch.randn(shape, generator=g, dtype=torch.float64)
        elif len(shape) == 1:
            value = 0.1 * torch.randn(shape, generator=g, dtype=torch.float64)
        else:
            value = (
                torch.randn(shape, generator=g, dtype=torch.float64) * 0.75 / math.sqrt(math.prod(shape[1:]))
            )
        out[key] = value
    return out


@pytest.fixture(scope="session")
def conformance_params():
    """The conformance parameter rule as a callable: ``conformance_params(network) -> state dict``."""
    return conformance_state_dict


@pytest.fixture(scope="session")
def golden(reference_dir: Path, require_shared_file) -> dict[str, np.ndarray]:
    path = require_shared_file(reference_dir / "conformance" / "forward_fp64.npz")
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


@pytest.fixture(scope="session")
def state_tables(reference_dir: Path) -> dict[int, list[tuple[str, str, str]]]:
    tables = {}
    for stage in (1, 2):
        lines = (reference_dir / f"state_dict_stage{stage}.tsv").read_text(encoding="utf-8").splitlines()
        tables[stage] = [tuple(line.split("\t")) for line in lines[1:] if line.strip()]
    return tables


@pytest.fixture(autouse=True)
def _single_thread():
    # Other test processes share the two cores; oversubscribed intra-op threads spin badly.
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)
