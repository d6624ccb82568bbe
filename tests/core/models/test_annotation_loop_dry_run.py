"""benchmarks/annotation_loop.py --dry-run runs the whole loop on the CPU (tiny network, 8 images)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_annotation_loop_dry_run(kvasir_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MEDDISSEG_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "annotation_loop.py"),
            "--dry-run",
            "--kvasir",
            str(kvasir_dir),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = {line.split("|")[1].strip(): line for line in done.stdout.splitlines() if line.startswith("| ")}
    assert {"before (untrained tiny network)", "after fine-tuning", "difference"} <= set(rows)
    assert "proposals on 8 val images" in done.stdout and "job wall time:" in done.stdout
