"""``batch_end`` events: live progress between epoch ends, read by the job runner (and ignored by
readers that do not know them)."""

from __future__ import annotations

from pathlib import Path

from meddisseg_core.train import TrainRequest, run_training

from .conftest import read_events, tiny_config


def test_each_epoch_reports_its_batches(small_dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    run_training(TrainRequest(small_dataset, out, tiny_config(epochs=2), events=out / "ev.jsonl"))
    events = read_events(out / "ev.jsonl")
    types = [e["type"] for e in events]
    first_epoch_end = types.index("epoch_end")
    # Progress arrives before the first epoch ends, not only at its end.
    assert "batch_end" in types[:first_epoch_end]
    batches = [e for e in events if e["type"] == "batch_end"]
    per_epoch = {e["epoch"]: [] for e in batches}
    for event in batches:
        per_epoch[event["epoch"]].append(event["batch"])
        assert event["images_per_s"] > 0 and event["images"] >= 2
        assert event["loss"]["segmentation"] >= 0  # Dice + BCE of the mask
        assert event["loss"]["total"] is not None
    assert sorted(per_epoch) == [1, 2]
    for epoch, numbers in per_epoch.items():
        # The epoch's last batch is always reported, whatever the interval.
        assert numbers[-1] == batches[0]["batches"], (epoch, numbers)
        assert numbers == sorted(numbers)
    assert [e["step"] for e in batches] == sorted(e["step"] for e in batches)
