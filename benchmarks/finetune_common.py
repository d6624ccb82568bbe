"""Shared pieces of the fine-tuning benchmarks: Kvasir-SEG as "approved" images, a base model,
and running one job exactly as the app does (job folder, child process, events)."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np

from meddisseg_core.imageio import read_mask
from meddisseg_core.models.heldout import choose_held_out, partition
from meddisseg_core.models.jobrun import FineTuneRun, JobOutcome
from meddisseg_core.models.jobspec import FineTuneSpec, network_kind
from meddisseg_core.models.prepare import ApprovedImage, create_job, new_job_id

ROOT = Path(__file__).resolve().parents[1]


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def kvasir_dir(given: Path | None) -> Path:
    for candidate in [given, ROOT.parent / "shared" / "data" / "Kvasir-SEG"]:
        if candidate is not None and (candidate / "images").is_dir():
            return candidate
    raise SystemExit("Kvasir-SEG not found: pass --kvasir DIR (with images/, masks/, train.txt, val.txt)")


def split_names(kvasir: Path, split: str, count: int) -> list[str]:
    return [n for n in (kvasir / f"{split}.txt").read_text().split() if n][:count]


def approved_from_truth(kvasir: Path, names: list[str], work: Path, size: tuple[int, int] | None) -> dict:
    """Kvasir images "approved" with their true masks (optionally shrunk to ``size`` = (w, h))."""
    folder = work / "folder"
    folder.mkdir(parents=True, exist_ok=True)
    approved = {}
    for name in names:
        image_path = kvasir / "images" / name
        mask = read_mask(kvasir / "masks" / name)
        if size is not None:
            image = cv2.resize(cv2.imread(str(image_path)), size, interpolation=cv2.INTER_AREA)
            image_path = folder / name
            cv2.imwrite(str(image_path), image)
            mask = cv2.resize(mask, size, interpolation=cv2.INTER_NEAREST)
        approved[name] = ApprovedImage(image_path, np.ascontiguousarray(mask))
    return approved


class JobTiming(NamedTuple):
    outcome: JobOutcome
    wall_s: float  # start of the child process to its exit
    images_per_s: float | None  # the trainer's own figure for the last epoch's training batches
    job_dir: Path
    train_s: float | None = None  # over all epochs: training images / images per s
    loss: float | None = None  # the last epoch's mean training loss
    held_out_dice: float | None = None  # the last epoch's mDSC on the held-out images


def run_job(
    work: Path,
    approved: dict,
    base: Path | None,
    base_config: object,
    *,
    scope: str,
    epochs: int,
    image_size: int,
    batch_size: int,
    device: str,
    label: str,
    precision: str = "auto",
    train_size: int | None = None,
) -> JobTiming:
    """One fine-tuning job as the app runs it; wall time from start to the child's exit."""
    # The same seeded held-out choice for every job of a run (the file name differs per label).
    held = choose_held_out(work / f"held_out_{label}.json", sorted(approved))
    train, held_out = partition(held, sorted(approved))
    spec = FineTuneSpec(
        job_id=f"{label}-{new_job_id()}",
        base_model="",
        base_id="bench-base",
        base_sha256="",
        source_folder=str(work / "folder"),
        train_images=train,
        held_out_images=held_out,
        stage=base_config.stage,
        network=network_kind(base_config),
        image_size=image_size,
        batch_size=batch_size,
        epochs=epochs,
        train_scope=scope,  # type: ignore[arg-type]
        device=device,
        precision=precision,  # type: ignore[arg-type]
        train_size=train_size,
    )
    spec, job_dir = create_job(work / "jobs", spec, base, approved)
    run = FineTuneRun(spec, job_dir, env=dict(os.environ))
    began = time.perf_counter()
    run.start()
    while run.outcome is None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            run.process.wait(timeout=1.0)
        run.poll()
    wall = time.perf_counter() - began
    speeds = [p.images_per_s for p in run.points if p.images_per_s]
    if run.outcome.state != "finished":
        print(run.outcome.message, run.outcome.log_tail, sep="\n", file=sys.stderr)
    train_s = sum(len(train) / s for s in speeds) if speeds else None
    last = run.points[-1] if run.points else None
    return JobTiming(
        run.outcome,
        wall,
        speeds[-1] if speeds else None,
        job_dir,
        train_s,
        last.loss if last else None,
        last.val_dice if last else None,
    )


def table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
