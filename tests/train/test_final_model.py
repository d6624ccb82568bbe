"""The run's model.safetensors is a regular model file with the run's metadata."""

from __future__ import annotations

import json
from pathlib import Path

from meddisseg_core import checkpoint
from meddisseg_core.train import TrainRequest, run_training

from .conftest import tiny_config


def test_final_model_loads_with_metadata(small_dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    outcome = run_training(TrainRequest(small_dataset, out, tiny_config(epochs=1)))
    assert outcome.exit_code == 0
    loaded = checkpoint.load_model(out / "model.safetensors")
    meta = loaded.metadata
    assert meta.network == loaded.network.config and meta.network.stage == 2
    assert meta.input.size == (32, 32) and meta.input.colour_order == "BGR"
    assert meta.training_data == str(small_dataset)
    split = json.loads(meta.split)
    assert (split["train"], split["val"]) == (4, 2) and split["source"].startswith("generated")
    assert {"miou", "mdsc"} <= set(meta.metrics)
    assert "epochs" in meta.notes and meta.sha256
    best = checkpoint.load_model(out / "best.safetensors")
    assert best.metadata.metrics["miou"] == meta.metrics["miou"]
