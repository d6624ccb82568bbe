"""The event stream: one JSON object per line with v/type/time/job_id, in a sensible order."""

from __future__ import annotations

import io
from pathlib import Path

from meddisseg_core.train import EVENT_TYPES, EventWriter, TrainRequest, run_training

from .conftest import read_events, tiny_config


def test_stream_of_a_short_run(small_dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    run_training(
        TrainRequest(small_dataset, out, tiny_config(epochs=1), events=out / "ev.jsonl", job_id="job-7")
    )
    events = read_events(out / "ev.jsonl")
    assert all(
        e["v"] == 1 and e["type"] in EVENT_TYPES and e["job_id"] == "job-7" and e["time"] for e in events
    )
    types = [e["type"] for e in events]
    assert types[0] == "started" and types[-1] == "finished"
    started = events[0]
    assert started["backbone_init"]["backbone"] == "scratch"
    assert any(e["type"] == "warning" and e["code"] == "backbone" for e in events)
    epoch = next(e for e in events if e["type"] == "epoch_end")
    assert set(epoch["lr"]) == {"backbone", "head"}
    assert {"miou", "mdsc", "loss"} <= set(epoch["val"])
    assert "dispersive" in epoch["train"] and "dispersive_grad_norm" in epoch["train"]
    assert epoch["images_per_s"] > 0
    kinds = {e["kind"] for e in events if e["type"] == "checkpoint"}
    assert kinds == {"latest", "best"}
    assert Path(events[-1]["paths"]["model"]).is_file()


def test_non_finite_numbers_become_null() -> None:
    writer = EventWriter(None)
    record = writer.emit("warning", value=float("nan"), nested={"x": float("inf")})
    assert record["value"] is None and record["nested"]["x"] is None


def test_stdout_target(capsys) -> None:
    writer = EventWriter("-", job_id="j")
    writer.emit("warning", message="hello")
    line = capsys.readouterr().out
    assert line.endswith("\n") and '"type": "warning"' in line and io.StringIO(line).readline() == line
