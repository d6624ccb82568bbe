"""train_click_refiner.py --dry-run trains 3 steps on real frames and writes a refiner the app loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from script_run import run_script

from meddisseg_core.interactive.refiner import load_refiner


@pytest.mark.slow
def test_dry_run_writes_a_loadable_refiner_and_its_card(kvasir_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "refiner.safetensors"
    done = run_script(
        "scripts/train_click_refiner.py",
        [
            "--out",
            str(out),
            "--kvasir",
            str(kvasir_dir),
            "--clinicdb",
            str(kvasir_dir.parent / "CVC-ClinicDB"),
            "--dry-run",
        ],
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    net = load_refiner(out)
    assert sum(p.numel() for p in net.parameters()) > 100_000
    card = json.loads(out.with_suffix(".json").read_text())
    assert card["recipe"]["steps"] == 3 and card["data"]["kvasir_seg_train"] == 10
