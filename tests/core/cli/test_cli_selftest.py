"""`meddisseg selftest` checks an installation offline and fails loudly on a bad model file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from meddisseg_core.checkpoint import ModelMetadata, save_model
from meddisseg_core.cli.main import main
from meddisseg_core.nn import NetworkConfig, build_network


def test_selftest_passes_with_a_model_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    torch.manual_seed(0)
    config = NetworkConfig.tiny(2)
    weights = tmp_path / "m.safetensors"
    save_model(weights, build_network(config), ModelMetadata(network=config))
    assert main(["selftest", "--weights", str(weights), "--device", "cpu", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["result"] == "OK"
    by_name = {c["name"]: c for c in report["checks"]}
    assert by_name["model"]["status"] == "OK" and "stage 2" in by_name["model"]["detail"]
    assert by_name["prediction"]["status"] == "OK"


def test_selftest_fails_on_a_broken_model_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"not a model")
    assert main(["selftest", "--weights", str(broken), "--device", "cpu"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  model" in out and str(broken) in out and out.rstrip().endswith("self-test: FAIL")
