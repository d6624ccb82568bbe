"""The device call's A/B picks the compiled regions only when they are faster and compute the same step."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _ab_module():
    return _load("gpu_step_ab")


def _steps_module():
    return _load("gpu_default_steps")


def _arm(name: str, speed: float | None, first: float, backend: str | None = "same", code: int = 0) -> dict:
    return {
        "arm": name,
        "exit": code,
        "images_per_s": speed,
        "compile_regions": {"backend": name if backend == "same" else backend, "compile_s": 30.0},
        "losses": {"1": first, "2": first * 0.9},
    }


def test_faster_regions_with_the_same_first_step_are_chosen() -> None:
    verdict = _ab_module().speed_verdict([_arm("off", 60.0, 4.2), _arm("inductor", 160.0, 4.203)], 1.05)
    assert verdict["chosen"] == "inductor" and "2.67x" in verdict["reason"]


def test_the_baseline_stays_unless_every_condition_holds() -> None:
    verdict = _ab_module().speed_verdict
    base = _arm("off", 60.0, 4.2)
    assert verdict([base, _arm("inductor", 160.0, 4.5)], 1.05)["chosen"] == "off"  # another step 1
    assert verdict([base, _arm("inductor", 62.0, 4.2)], 1.05)["chosen"] == "off"  # not 5 % faster
    assert verdict([base, _arm("inductor", 160.0, 4.2, backend=None)], 1.05)["chosen"] == "off"  # fell back
    assert verdict([base, _arm("inductor", 160.0, 4.2, code=1)], 1.05)["chosen"] == "off"  # failed run
    assert verdict([base, _arm("inductor", None, 4.2)], 1.05)["chosen"] == "off"  # too few steps timed


def test_speed_is_taken_after_the_skipped_steps(tmp_path: Path) -> None:
    module = _ab_module()
    events = tmp_path / "events.jsonl"
    stamps = ["2026-12-06T10:00:00.000+00:00", "2026-12-06T10:00:30.000+00:00"]  # step 1: compile
    stamps += [f"2026-12-06T10:00:{30 + s}.000+00:00" for s in range(1, 5)]  # then 1 s a step
    lines = [
        {"type": "batch_end", "step": i + 1, "time": t, "loss": {"total": 1.0, "segmentation": 1.0}}
        for i, t in enumerate(stamps)
    ]
    events.write_text("".join(json.dumps(r) + "\n" for r in lines))
    rows = module._step_losses(events)
    assert sorted(rows) == [1, 2, 3, 4, 5, 6]
    assert module._arm_speed(rows, batch=32, skip=2) == 32.0


def test_the_packed_file_names_its_data_and_origin(tmp_path: Path) -> None:
    module = _steps_module()
    pack = tmp_path / "PACK.json"
    pack.write_text(json.dumps({"train": {"kvasir": 880, "clinicdb": 612}}))
    text = module.training_data_text(pack, "resources/models/default.safetensors")
    assert (
        "880" in text
        and "CVC-ClinicDB, all 612 frames" in text
        and "continued from default.safetensors" in text
    )
    assert module.training_data_text(None, "").endswith("trained from scratch (no ImageNet weights)")


def test_an_arm_that_crashes_is_reported_not_fatal(tmp_path: Path, monkeypatch) -> None:
    import argparse

    from meddisseg_core.cli import main as cli_main

    def crash(argv: list[str]) -> int:
        raise RuntimeError("a kernel failed mid-run")

    monkeypatch.setattr(cli_main, "main", crash)
    module = _ab_module()
    args = argparse.Namespace(
        work=tmp_path, data=tmp_path, config=[], steps=4, profile_steps=1, device="cpu", top=5
    )
    arm = module._profile_arm(args, "inductor", cuda=False)
    assert arm["exit"] == 1 and arm["images_per_s"] is None and arm["losses"] == {}
    base = _arm("off", 60.0, 4.2)
    assert module.speed_verdict([base, arm], 1.05)["chosen"] == "off"
