"""bench_clicks_clinicdb.py runs ours and local from real proposals on a few CVC-ClinicDB frames."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from script_run import ROOT, run_script


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_bench_clicks_clinicdb_prints_a_row_per_method(shared_dir: Path) -> None:
    if not (ROOT / "resources" / "models" / "default.safetensors").is_file():
        pytest.skip("the shipped default model is not in this checkout")
    clinic = shared_dir / "data" / "CVC-ClinicDB"
    if not (clinic / "all.txt").is_file():
        pytest.skip(f"no CVC-ClinicDB at {clinic}")
    done = run_script(
        "benchmarks/bench_clicks_clinicdb.py", ["--every", "200", "--clinicdb", str(clinic)], timeout=850
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "4 frames" in done.stdout  # 612 frames, every 200th
    rows = re.findall(r"^\| (ours|local) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$", done.stdout, re.M)
    assert [r[0] for r in rows] == ["ours", "local"]
    for _name, start, noc85, noc90 in rows:
        assert 0 <= float(start) <= 1 and 0 <= float(noc85) <= float(noc90) <= 20
