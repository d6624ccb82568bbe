"""train_click_refiner.py --dry-run trains 3 steps on real frames and writes a refiner the app loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from meddisseg_core.interactive.refiner import load_refiner

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_dry_run_writes_a_loadable_refiner_and_its_card(kvasir_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "refiner.safetensors"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "train_click_refiner.py"),
            "--out",
            str(out),
            "--kvasir",
            str(kvasir_dir),
            "--clinicdb",
            str(kvasir_dir.parent / "CVC-ClinicDB"),
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    net = load_refiner(out)
    assert sum(p.numel() for p in net.parameters()) > 100_000
    card = json.loads(out.with_suffix(".json").read_text())
    assert card["recipe"]["steps"] == 3 and card["data"]["kvasir_seg_train"] == 10
