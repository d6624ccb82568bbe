"""The GPU run's script, dry: tiny network, 8 images, 20 s budget, on the CPU, exactly as called.

It runs ``benchmarks/gpu_default_model.sh --dry-run`` with ``OUT`` set, as the device tool would,
with ``platformdirs`` and ``albumentations`` made unimportable (the GPU machine has neither), and
checks what comes back: the files the device tool can return (at most 8, at most 16 MiB each),
a finished time-budget training, a packed model that installs and loads, and its card.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCKER = '''
import importlib.abc, sys

class _Absent(importlib.abc.MetaPathFinder):
    """The GPU machine's Python has neither of these."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("platformdirs", "albumentations"):
            raise ImportError(f"{name} is not installed on the GPU machine")
        return None

sys.meta_path.insert(0, _Absent())
'''


@pytest.mark.slow
def test_dry_run_writes_the_gpu_results(kvasir_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "site"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCKER)
    out = tmp_path / "out"
    env = {
        **os.environ,
        "OUT": str(out),
        "PYTHON": sys.executable,
        "PYTHONPATH": str(blocker),
        "KVASIR_DIR": str(kvasir_dir),
        "CLINICDB_DIR": str(kvasir_dir.parent / "CVC-ClinicDB"),
        "OMP_NUM_THREADS": "1",
        "TMPDIR": str(tmp_path),
    }
    probe = subprocess.run([sys.executable, "-c", "import platformdirs"], env=env, capture_output=True)
    assert probe.returncode != 0  # the blocker works
    result = subprocess.run(
        ["bash", "benchmarks/gpu_default_model.sh", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert "Traceback" not in log, log[-4000:]
    assert "inference benchmarks: no CUDA device here" in log  # the bench step found its functions
    files = sorted(p for p in out.rglob("*") if p.is_file())
    names = {p.name for p in files}
    assert {"log.txt", "events.jsonl", "default.md", "default.json"} <= names
    assert "default.safetensors.part-00-of-01" in names
    assert len(files) <= 8 and all(p.stat().st_size <= 16 * 2**20 for p in files)
    events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    assert events[-1]["type"] == "finished" and events[-1]["reason"] == "time_budget"
    assert events[-1]["elapsed_s"] <= 20.0 + 60.0  # a step is not cut; the finish itself is budgeted
    card = json.loads((out / "default.json").read_text())
    assert card["trained_from_scratch"] and len(card["per_image"]) == 2
    assert card["metrics"]["packed"]["at_256"]["mdsc"] == pytest.approx(
        sum(v["dice_256"] for v in card["per_image"].values()) / 2, abs=1e-3
    )
    card_text = (out / "default.md").read_text()
    assert "research and education only" in card_text
    # Issue 20: the step's A/B (profiled, both arms trained, step 1 identical), ClinicDB in train
    # with its citation, the head's ranking.
    assert "1b. the training step, eager against compiled regions" in log and "Self CPU" in log
    ab = card["training_step_ab"]
    assert [a["arm"] for a in ab["arms"]] == ["off", "aot_eager"] and ab["chosen"] in ("off", "aot_eager")
    assert ab["arms"][1]["error"] is None and ab["arms"][1]["step_1_loss"] is not None
    assert ab["arms"][1]["step_1_loss"] == pytest.approx(ab["arms"][0]["step_1_loss"], rel=1e-2)
    assert "Training step: eager against compiled regions" in card_text
    assert card["data"]["train_by_source"]["clinicdb"] >= 1 and "Bernal" in card_text
    assert set(card["uncertainty_ranking"]["scores"]) == {"entropy", "uncertainty head"}
    assert "| uncertainty head |" in card_text
    models = tmp_path / "models"
    install = subprocess.run(
        [
            sys.executable,
            "benchmarks/gpu_default_steps.py",
            "install",
            "--source",
            str(out),
            "--dest",
            str(models),
        ],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    from meddisseg_core.checkpoint import load_model

    loaded = load_model(models / "default.safetensors")
    assert loaded.inference_only and loaded.metadata.name == "med-disseg-stage2-kvasir-default"
    assert loaded.has_uncertainty  # the packed file keeps the uncertainty head (issue 20)
    assert "CVC-ClinicDB" in loaded.metadata.training_data  # the file says what it was trained on
    assert (models / "default.md").is_file() and (models / "default.json").is_file()
