"""CI runs the uncertainty-ranking benchmark's --dry-run: both scores, a table and a JSON report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_dry_run_prints_both_scores(kvasir_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "ranking.json"
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/bench_uncertainty_ranking.py",
            "--dry-run",
            "--data",
            str(kvasir_dir),
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "| entropy |" in result.stdout and "| uncertainty head |" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["images"] == 5 and set(report["scores"]) == {"entropy", "uncertainty head"}
    assert all(0.0 <= row["dice"] <= 1.0 for row in report["per_image"])
