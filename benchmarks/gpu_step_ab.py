"""The A/B of the training step at the start of the device call (``gpu_default_steps.py profile``).

Two arms of ``meddisseg train`` in one process, from the same seed and the same batches: eager,
then ``compile_regions`` (meddisseg_core/nn/regions.py). Per arm: torch.profiler's top ops, the
images/s after the warm-up and the profiled window, the peak memory and the per-step losses;
then which arm trains the model. Nothing here writes the call's files; the step does.
"""

from __future__ import annotations

import argparse
import json
import time
import traceback
from datetime import datetime
from pathlib import Path


def _step_losses(events: Path) -> dict[int, dict[str, float]]:
    """Step -> {time (s, from the event stamps), total, segmentation} from the batch_end events."""
    rows: dict[int, dict[str, float]] = {}
    if not events.is_file():
        return rows
    for line in events.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("type") != "batch_end" or not record.get("loss"):
            continue
        stamp = datetime.fromisoformat(record["time"]).timestamp()
        rows[int(record["step"])] = {"time": stamp, **record["loss"]}
    return rows


def _arm_speed(rows: dict[int, dict[str, float]], batch: int, skip: int) -> float | None:
    """Train images/s over the steps after ``skip`` (warm-up, compile and the profiled window)."""
    steps = sorted(s for s in rows if s > skip)
    if len(steps) < 2:
        return None
    seconds = rows[steps[-1]]["time"] - rows[steps[0]]["time"]
    return (steps[-1] - steps[0]) * batch / seconds if seconds > 0 else None


def _profile_arm(args: argparse.Namespace, arm: str, cuda: bool) -> dict[str, object]:
    """One arm of the A/B: ``meddisseg train`` for ``--steps`` steps with ``compile_regions = arm``.

    torch.profiler records steps 3..8 (after two warm-up steps) and prints the top ops; the speed is
    taken over the steps after that window, so the profiler's own cost is not in it.
    """
    import torch
    from torch.profiler import ProfilerActivity, profile, schedule

    from meddisseg_core.cli.main import main as meddisseg_main
    from meddisseg_core.train import batch_events

    work = args.work / f"arm-{arm}"
    work.mkdir(parents=True, exist_ok=True)
    overlay = work / "arm.toml"
    overlay.write_text(f'compile_regions = "{arm}"\nmax_steps = {args.steps}\n', encoding="utf-8")
    events = work / "events.jsonl"
    argv = ["train", "--data", str(args.data), "--stage", "2", "--out", str(work / "run")]
    for config in [*args.config, overlay]:
        argv += ["--config", str(config)]
    argv += ["--device", args.device, "--events", str(events)]
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else [])
    window = schedule(wait=1, warmup=1, active=args.profile_steps, repeat=1)
    reporter_step = batch_events.BatchReporter.step
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    with profile(activities=activities, schedule=window, record_shapes=False) as prof:

        def step_and_tick(self, *a, **k):  # the trainer reports every batch: advance the schedule
            reporter_step(self, *a, **k)
            prof.step()

        batch_events.BatchReporter.step = step_and_tick
        try:
            code = meddisseg_main(argv)
        except Exception:  # an arm that crashes loses the A/B; the other arm's result still counts
            traceback.print_exc()
            code = 1
        finally:
            batch_events.BatchReporter.step = reporter_step
    if cuda:
        torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    sort = "self_cuda_time_total" if cuda else "self_cpu_time_total"
    print(f"profile [{arm}]: train exit {code} after {seconds:.1f} s; top ops of {args.profile_steps} steps:")
    try:
        print(prof.key_averages().table(sort_by=sort, row_limit=args.top, max_name_column_width=60))
    except Exception as exc:  # an empty window (too few steps) must not end the call
        print(f"profile [{arm}]: no table ({type(exc).__name__}: {exc})")
    lines = events.read_text(encoding="utf-8").splitlines() if events.is_file() else []
    records = [json.loads(line) for line in lines]
    started_event = next((r for r in records if r.get("type") == "started"), {})
    batch = int(started_event.get("config", {}).get("batch_size", 0)) or 1
    rows = _step_losses(events)
    return {
        "arm": arm,
        "exit": code,
        "seconds": round(seconds, 1),
        "compile_regions": started_event.get("compile_regions"),
        "images_per_s": _arm_speed(rows, batch, 2 + args.profile_steps),
        "losses": {
            str(k): round(v["total"], 6) for k, v in sorted(rows.items()) if v.get("total") is not None
        },
        "peak_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2) if cuda else None,
    }


def speed_verdict(arms: list[dict[str, object]], min_gain: float) -> dict[str, object]:
    """Which arm trains the model: the fastest whose step-1 loss matches the first (eager) arm's.

    Step 1 has the same weights and the same batch in every arm, so its loss differs only by the
    rounding of the fused kernels (bf16 autocast: about 1e-3 relative).
    """
    base = arms[0]
    base_speed = base.get("images_per_s") or 0.0
    base_first = base["losses"].get("1") if isinstance(base["losses"], dict) else None
    chosen, reason = str(base["arm"]), "the baseline"
    best = float(base_speed)
    for arm in arms[1:]:
        speed = arm.get("images_per_s")
        regions = arm.get("compile_regions") or {}
        first = arm["losses"].get("1") if isinstance(arm["losses"], dict) else None
        if arm.get("exit") != 0 or not speed or regions.get("backend") != arm["arm"]:
            continue
        if base_first is None or first is None or abs(first - base_first) > 0.01 * abs(base_first):
            continue
        if speed >= min_gain * base_speed and speed > best:
            chosen, best = str(arm["arm"]), float(speed)
            reason = f"{speed / base_speed:.2f}x the baseline's images/s, same step-1 loss"
    return {"chosen": chosen, "reason": reason, "arms": arms}


def compare(args: argparse.Namespace) -> dict[str, object]:
    """A/B the training step (issue 20's first minutes): eager, then the compiled regions.

    Each arm is ``meddisseg train`` in this process, from the same seed and the same batches, for
    ``--steps`` steps at the run's batch size and full size (no time budget). Printed for each: the
    top ops by self device time (CUDA, or CPU on the dry run), the images/s, the peak memory; then
    the per-step losses side by side. Returns :func:`speed_verdict`'s verdict, arms included.
    """
    import torch

    from meddisseg_core.train import batch_events

    batch_events.BatchReporter.default_interval_s = 0.0  # every step's loss, for the comparison
    cuda = args.device != "cpu" and torch.cuda.is_available()
    arms = [_profile_arm(args, arm, cuda) for arm in args.arms.split(",")]
    verdict = speed_verdict(arms, args.min_gain)
    print("| arm | exit | images/s | peak GiB | compile s | step-1 loss | last loss |")
    print("|---|---|---|---|---|---|---|")
    for arm in arms:
        losses = arm["losses"] if isinstance(arm["losses"], dict) else {}
        last = losses[max(losses, key=int)] if losses else None
        regions = arm.get("compile_regions") or {}
        speed = arm.get("images_per_s")
        speed_text = f"{speed:.1f}" if speed else "-"
        print(
            f"| {arm['arm']} | {arm['exit']} | {speed_text} | {arm['peak_gib']} | {regions.get('compile_s')} "
            f"| {losses.get('1', '-')} | {last if last is not None else '-'} |"
        )
    steps = sorted({int(k) for arm in arms for k in arm["losses"]})  # type: ignore[union-attr]
    print("step " + " ".join(f"{arm['arm']:>12}" for arm in arms))
    for step in steps:
        cells = [f"{arm['losses'].get(str(step), float('nan')):12.6f}" for arm in arms]  # type: ignore[union-attr]
        print(f"{step:4d} " + " ".join(cells))
    print(f"profile: training uses compile_regions = {verdict['chosen']!r} ({verdict['reason']})")
    return verdict
