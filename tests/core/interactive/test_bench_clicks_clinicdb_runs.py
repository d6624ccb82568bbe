"""bench_clicks_clinicdb.py runs ours and local from real proposals on a few CVC-ClinicDB frames."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_bench_clicks_clinicdb_prints_a_row_per_method(shared_dir: Path) -> None:
    if not (ROOT / "resources" / "models" / "default.safetensors").is_file():
        pytest.skip("the shipped default model is not in this checkout")
    clinic = shared_dir / "data" / "CVC-ClinicDB"
    if not (clinic / "all.txt").is_file():
        pytest.skip(f"no CVC-ClinicDB at {clinic}")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_clicks_clinicdb.py"),
            "--every",
            "200",
            "--clinicdb",
            str(clinic),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
        timeout=850,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "4 frames" in done.stdout  # 612 frames, every 200th
    rows = re.findall(r"^\| (ours|local) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$", done.stdout, re.M)
    assert [r[0] for r in rows] == ["ours", "local"]
    for _name, start, noc85, noc90 in rows:
        assert 0 <= float(start) <= 1 and 0 <= float(noc85) <= float(noc90) <= 20
