"""A refiner file loads as safetensors only, round-trips, and is refused when unsafe or of another rule."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
import torch

from meddisseg_core.errors import CheckpointError
from meddisseg_core.interactive import refiner as R


def test_round_trip_gives_the_same_answers(tmp_path: Path) -> None:
    torch.manual_seed(0)
    net = R.RefinerNet().eval()
    path = tmp_path / "refiner.safetensors"
    R.save_refiner(net, path, {"name": "test"})
    loaded = R.load_refiner(path)
    x = torch.randn(1, len(R.CHANNELS), 64, 64)
    with torch.no_grad():
        assert torch.allclose(net(x), loaded(x), atol=5e-2)  # stored as fp16
    assert not loaded.training


class Boom:
    def __reduce__(self):
        return (exec, ("open('PWNED', 'w').write('x')",))


def test_a_pickle_is_refused_and_never_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "evil.safetensors"
    path.write_bytes(pickle.dumps({"weight": Boom()}))
    with pytest.raises(CheckpointError, match=r"evil\.safetensors"):
        R.load_refiner(path)
    assert not (tmp_path / "PWNED").exists()


def test_a_file_of_another_input_rule_is_refused(tmp_path: Path) -> None:
    from safetensors.torch import save_file

    rule = {**R.input_rule(), "input_size": 320}
    path = tmp_path / "other.safetensors"
    tensors = {k: v.contiguous() for k, v in R.RefinerNet().state_dict().items()}
    save_file(tensors, str(path), metadata={R.HEADER_KEY: json.dumps(rule)})
    with pytest.raises(CheckpointError, match="input rule"):
        R.load_refiner(path)
