"""Packed files (int8 weights, per-output-channel fp32 scales) load back through load_model.

Round trip on the tiny networks (weight error within half a quantisation step, outputs close),
the header says how the file is packed, a tampered header is refused, and the paper stage-2
network packs into at most 45 MB with its uncertainty path (issue 20) and into at most 38 MB
without it (the mask path alone, issue 7's size).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors import safe_open

from meddisseg_core.checkpoint import PACK_KEY, ModelMetadata, load_model, pack_model, training_only
from meddisseg_core.checkpoint.pack import SCALE_SUFFIX, SCHEME, quantize
from meddisseg_core.errors import CheckpointError
from meddisseg_core.nn import NetworkConfig, build_network

MAX_SHIPPED_BYTES = 45_000_000
MAX_MASK_PATH_BYTES = 38_000_000


def _header(path: Path) -> dict[str, str]:
    with safe_open(str(path), framework="pt") as handle:
        return dict(handle.metadata() or {})


@pytest.mark.parametrize("stage", [1, 2])
def test_tiny_round_trip_within_half_a_step(perturbed, tmp_path: Path, stage: int) -> None:
    network = perturbed(stage)
    path = tmp_path / "packed.safetensors"
    pack_model(path, network, ModelMetadata(network=network.config, name="tiny"))
    loaded = load_model(path)
    assert loaded.inference_only == (stage == 2)
    description = json.loads(_header(path)[PACK_KEY])
    assert description["scheme"] == SCHEME and "int8" in description["formula"]
    original = network.state_dict()
    restored = loaded.network.state_dict()
    for key in description["packed"]:
        _, scale = quantize(original[key])
        error = (restored[key] - original[key]).abs().reshape(scale.shape[0], -1).amax(dim=1)
        assert torch.all(error <= scale / 2 + 1e-7), key
    for key, value in restored.items():
        if key not in description["packed"] and not training_only(key) and value.is_floating_point():
            assert torch.equal(value, original[key].float()), key
    x = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(1))
    diff = (loaded.network.infer(x).mask - network.infer(x).mask).abs().max().item()
    print(f"\nstage {stage} tiny: max |prob packed - prob fp32| = {diff:.2e}")
    assert diff < 1e-3


def test_unknown_scheme_is_refused(perturbed, tmp_path: Path) -> None:
    network = perturbed(2)
    path = tmp_path / "packed.safetensors"
    pack_model(path, network, ModelMetadata(network=network.config))
    with safe_open(str(path), framework="pt") as handle:
        tensors = {k: handle.get_tensor(k) for k in handle.keys()}  # noqa: SIM118
    header = _header(path)
    description = json.loads(header[PACK_KEY])
    description["scheme"] = "int4-magic/9"
    header[PACK_KEY] = json.dumps(description)
    from safetensors.torch import save_file

    save_file(tensors, str(path), metadata=header)
    with pytest.raises(CheckpointError, match="int4-magic/9"):
        load_model(path)
    assert any(k.endswith(SCALE_SUFFIX) for k in tensors)


@pytest.mark.slow
def test_paper_stage2_packs_under_45_mb(tmp_path: Path) -> None:
    torch.manual_seed(0)
    network = build_network(NetworkConfig.paper(2)).eval()
    path = tmp_path / "default.safetensors"
    pack_model(path, network, ModelMetadata(network=network.config, name="paper"))
    size = path.stat().st_size
    mask_only = tmp_path / "mask-only.safetensors"
    pack_model(mask_only, network, ModelMetadata(network=network.config), keep_uncertainty=False)
    print(f"\npaper stage-2 packed: {size:,} bytes; mask path only {mask_only.stat().st_size:,}")
    assert size <= MAX_SHIPPED_BYTES
    assert mask_only.stat().st_size <= MAX_MASK_PATH_BYTES
    loaded = load_model(path)
    x = torch.rand(1, 3, 64, 64, generator=torch.Generator().manual_seed(2))
    diff = (loaded.network.infer(x).mask - network.infer(x).mask).abs().max().item()
    print(f"paper stage-2 (untrained): max |prob packed - prob fp32| = {diff:.2e}")
    assert diff < 1e-2
