"""A fine-tuning job end to end without the app: job folder, child process, before/after, registry."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from meddisseg_core.models.finish import finish_job
from meddisseg_core.models.heldout import choose_held_out, partition
from meddisseg_core.models.jobrun import FineTuneRun
from meddisseg_core.models.jobspec import FineTuneSpec, read_spec
from meddisseg_core.models.prepare import create_job, new_job_id


def _wait(run: FineTuneRun) -> None:
    while run.outcome is None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            run.process.wait(timeout=0.5)  # blocks on the process, not a sleep
        run.poll()


@pytest.mark.slow
def test_job_runs_in_a_child_and_registers_its_model(
    registry, make_safetensors, approved_images, tmp_path: Path
) -> None:
    folder, approved = approved_images
    base = registry.add_file(make_safetensors("base.safetensors", seed=0), source="imported")
    held = choose_held_out(tmp_path / "state" / "held_out.json", sorted(approved), fraction=0.25)
    train, held_out = partition(held, sorted(approved))
    spec = FineTuneSpec(
        job_id=new_job_id(),
        base_model="",
        base_id=base.id,
        base_sha256=base.sha256,
        source_folder=str(folder),
        train_images=train,
        held_out_images=held_out,
        stage=2,
        network="tiny",
        image_size=64,
        batch_size=2,
        epochs=2,
        train_scope="decoder",
        device="cpu",
    )
    spec, job_dir = create_job(tmp_path / "jobs", spec, registry.path_of(base), approved)
    assert read_spec(job_dir)[0] == spec  # the JSON spec round-trips
    assert (job_dir / "data" / "val.txt").read_text().split() == list(held_out)

    run = FineTuneRun(spec, job_dir, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert run.process.command[:3] == [sys.executable, "-m", "meddisseg_core"]
    run.start()
    _wait(run)
    assert run.outcome.state == "finished", run.outcome
    assert [p.epoch for p in run.points] == [1, 2]
    assert all(p.loss is not None and p.val_dice is not None for p in run.points)

    result = finish_job(job_dir / "job.json", registry, device="cpu")
    record = result.record
    assert record.source == "fine-tuned" and record.parent == base.id
    assert record.trained_on.images == train and record.trained_on.folder == str(folder)
    assert record.metrics.images == held_out
    assert record.metrics.values["dice"] == pytest.approx(result.comparison.after.dice)
    assert record.metrics.values["dice_before"] == pytest.approx(result.comparison.before.dice)
    saved = json.loads((job_dir / "result.json").read_text())
    assert saved["new_id"] == record.id and saved["base_id"] == base.id
    assert saved["difference"]["dice"] == pytest.approx(result.comparison.dice_gain)
    assert registry.get(record.id) == record
