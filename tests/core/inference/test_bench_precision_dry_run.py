"""benchmarks/bench_precision.py --dry-run: 4 Kvasir-SEG val images, fp32 against bf16 and bf16-decoder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
from meddisseg_core.nn import NetworkConfig, build_network

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_bench_precision_dry_run(kvasir_dir: Path, tmp_path: Path) -> None:
    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(2))
    weights = tmp_path / "tiny.safetensors"
    save_model(weights, network, ModelMetadata(network.config, InputConvention(size=(64, 64))))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MEDDISSEG_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_precision.py"),
            "--dry-run",
            "--weights",
            str(weights),
            "--data",
            str(kvasir_dir),
            "--split",
            "val.txt",
            "--candidates",
            "bf16,bf16-decoder",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = {line.split("|")[1].strip(): line for line in done.stdout.splitlines() if line.startswith("| ")}
    assert {"fp32 (PyTorch)", "bf16", "bf16-decoder"} <= set(rows)
    assert "images: 4 (dry run: not a verdict)" in done.stdout
    assert "load average" in done.stdout and "auto on this machine now: fp32" in done.stdout
