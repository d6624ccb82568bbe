"""bench_interactive.py --dry-run --json runs every default method on 4 val images with the shipped model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
@pytest.mark.timeout(1800)  # 8 network passes, ~300 GrabCut calls: a minute idle, far longer shared
def test_bench_interactive_dry_run(kvasir_dir: Path) -> None:
    if not (ROOT / "resources" / "models" / "default.safetensors").is_file():
        pytest.skip("the shipped default model is not in this checkout")
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    script = str(ROOT / "benchmarks" / "bench_interactive.py")
    done = subprocess.run(
        [sys.executable, script, "--dry-run", "--json", "--kvasir", str(kvasir_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=1700,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["images"] == 4
    assert {"ours", "grabcut", "none"} <= set(report["methods"])
    for row in report["methods"].values():
        assert {"noc85", "noc90", "iou_after", "box_iou", "click_latency_p95_s", "box_latency_p95_s"} <= set(
            row
        )
        assert set(row["iou_after"]) == {"1", "3", "5"}
        assert 0 <= row["noc85"] <= row["noc90"] <= 20
    # Clicks only ever help the "none" row's proposal, never lower it (the click methods move).
    assert report["methods"]["ours"]["iou_after"]["5"] >= report["methods"]["none"]["iou_after"]["5"]
