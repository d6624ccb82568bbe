"""`meddisseg selftest` names the precision chosen and why, and honours MEDDISSEG_PRECISION=fp32."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from meddisseg_core.checkpoint import ModelMetadata, save_model
from meddisseg_core.cli.main import main
from meddisseg_core.nn import NetworkConfig, build_network


def test_selftest_says_precision_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    torch.manual_seed(0)
    config = NetworkConfig.tiny(2)
    weights = tmp_path / "m.safetensors"
    save_model(weights, build_network(config), ModelMetadata(network=config))
    monkeypatch.setenv("MEDDISSEG_PRECISION", "fp32")
    assert main(["selftest", "--weights", str(weights), "--device", "cpu", "--json"]) == 0
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["precision"]["status"] == "OK"
    assert checks["precision"]["detail"] == "fp32: MEDDISSEG_PRECISION=fp32"
