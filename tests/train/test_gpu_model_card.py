"""The model card is built from the run's files, keeps every val image's scores and the history."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _card_module():
    spec = importlib.util.spec_from_file_location("gpu_model_card", ROOT / "benchmarks" / "gpu_model_card.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gpu_model_card"] = module
    spec.loader.exec_module(module)
    return module


def _evaluation(dice: list[float]) -> dict:
    per_image = {
        f"img{i}.jpg": {
            "at_256": {
                "mdsc": d,
                "miou": d / 2,
                "recall": 90.0,
                "precision": 90.0,
                "accuracy": 99.0,
                "f2": 90.0,
            },
            "at_original": {
                "mdsc": d - 1,
                "miou": d / 2,
                "recall": 90.0,
                "precision": 90.0,
                "accuracy": 99.0,
                "f2": 90.0,
            },
        }
        for i, d in enumerate(dice)
    }
    mean = sum(dice) / len(dice)
    summary = {
        "mdsc": mean,
        "miou": mean / 2,
        "recall": 90.0,
        "precision": 90.0,
        "accuracy": 99.0,
        "f2": 90.0,
    }
    return {
        "images": len(dice),
        "at_256": summary,
        "at_original": {**summary, "mdsc": mean - 1},
        "per_image": per_image,
        "max_abs_prob_diff_vs_reference": 0.01,
    }


def test_card_from_run_files_with_history(tmp_path: Path) -> None:
    card_module = _card_module()
    (tmp_path / "full.json").write_text(json.dumps(_evaluation([80.0, 90.0, 70.0, 60.0, 100.0])))
    (tmp_path / "packed.json").write_text(json.dumps(_evaluation([79.0, 90.0, 70.0, 60.0, 100.0])))
    previous = {
        "history": [{"date": "2026-01-01", "device": "H100", "val_mdsc_256": 71.0, "init": "scratch"}]
    }
    (tmp_path / "previous.json").write_text(json.dumps(previous))
    events = [
        {
            "type": "started",
            "config": {"stage": 2, "network": "paper", "batch_size": 32},
            "precision": "bf16",
            "train_images": 880,
            "val_images": 120,
        },
        {"type": "epoch_end", "images_per_s": 50.0, "gpu_memory_gib": 20.0},
        {"type": "epoch_end", "images_per_s": 300.0, "gpu_memory_gib": 24.0},
        {"type": "finished", "reason": "time_budget", "elapsed_s": 380.0, "epochs": 120, "steps": 3300},
    ]
    (tmp_path / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    args = argparse.Namespace(
        out=tmp_path,
        events=tmp_path / "events.jsonl",
        env=None,
        eval_full=tmp_path / "full.json",
        eval_packed=tmp_path / "packed.json",
        packed_info=None,
        previous=tmp_path / "previous.json",
        init="resources/models/default.safetensors",
        wall_seconds=560.0,
    )
    card = card_module.build_card(args)
    assert card["per_image"]["img0.jpg"]["dice_256"] == 79.0 and card["per_image_model"] == "packed"
    assert card["packed_vs_unpacked"]["mdsc_at_256_points"] == pytest.approx(-0.2)
    assert card["dice_at_256_quartiles"]["median"] == 79.0
    assert card["training"]["images_per_s_median"] == 300.0  # the first epoch (warm-up, tuning) left out
    assert [row["val_mdsc_256"] for row in card["history"]] == [71.0, pytest.approx(79.8)]
    assert not card["trained_from_scratch"] and card["data"]["train_images"] == 880
    text = card_module.render_markdown(card)
    for needed in (
        "Continued from",
        "no ImageNet weights",
        "research and education only",
        "for human review",
        "Never for diagnosis",
        "| 2026-01-01 | H100 |",
        "time_budget",
    ):
        assert needed in text, needed
