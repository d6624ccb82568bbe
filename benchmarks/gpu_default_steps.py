"""The Python steps of ``benchmarks/gpu_default_model.sh`` (and ``install``, run here afterwards).

Usage: ``python benchmarks/gpu_default_steps.py STEP ...`` with STEP one of

* ``env``: Python, torch, CUDA and GPU versions, as JSON (printed and written);
* ``evaluate``: score a model on the val images at 256 (the authors' protocol) and at the
  original size, per image, exactly as ``meddisseg evaluate`` does (fp32, TF32 off on a GPU);
* ``pack``: the run's best weights as ``default.safetensors`` (int8, see
  ``meddisseg_core.checkpoint.pack``), split into parts of at most 16 MB for the return trip;
* ``bench``: the inference benchmarks (bs16 throughput, bs1 latency, 1024² steady peak);
* ``profile``: the A/B of the training step, eager against compiled regions (``gpu_step_ab.py``);
* ``install``: here, after the call: join the parts, check them, put the model and its card
  into ``resources/models/``.

Nothing here imports albumentations or platformdirs: the GPU machine has neither.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import platform
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

PART_BYTES = 16_000_000  # under the device tool's 16 MiB per returned file
PARTS_GLOB = "default.safetensors.part-*"


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def step_env(args: argparse.Namespace) -> int:
    import cv2
    import safetensors
    import torch

    info = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version() if torch.cuda.is_available() else None,
        "numpy": np.__version__,
        "opencv": cv2.__version__,
        "safetensors": safetensors.__version__,
        "cpus": __import__("os").cpu_count(),
        "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
        "gpu_memory_gib": (
            round(torch.cuda.get_device_properties(0).total_memory / 2**30, 1)
            if torch.cuda.is_available()
            else None
        ),
    }
    print(json.dumps(info, indent=1))
    _write_json(args.json, info)
    return 0


def _names(split: Path) -> list[str]:
    return [line.strip() for line in split.read_text(encoding="utf-8").splitlines() if line.strip()]


def step_evaluate(args: argparse.Namespace) -> int:
    import torch

    from meddisseg_core.checkpoint import load_model
    from meddisseg_core.data.io import mask_path_for
    from meddisseg_core.imageio import read_image, read_mask_grey
    from meddisseg_core.inference.predictor import Predictor
    from meddisseg_core.inference.preprocessing import resize_map
    from meddisseg_core.metrics import as_percent, mean_metrics, metrics_at_model_size, segmentation_metrics

    # Full fp32 on the GPU (no TF32), so that a CPU re-run of the card's images gives the same masks.
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    started = time.perf_counter()
    predictor = Predictor(load_model(args.model), device=args.device, precision="fp32")
    names = _names(args.data / args.split)
    per_image: dict[str, dict[str, dict[str, float]]] = {}
    probabilities: dict[str, np.ndarray] = {}
    for start in range(0, len(names), args.batch):
        chunk = names[start : start + args.batch]
        images = [read_image(args.data / "images" / name) for name in chunk]
        greys = [read_mask_grey(mask_path_for(args.data / "masks", name)) for name in chunk]
        for name, grey, prediction in zip(chunk, greys, predictor.predict_batch(images), strict=True):
            small = prediction.network_probability
            if small.shape != (256, 256):
                small = resize_map(small, (256, 256))
            probabilities[name] = small.astype(np.float16)
            per_image[name] = {
                "at_256": metrics_at_model_size(small, grey),
                "at_original": segmentation_metrics(prediction.probability, grey >= 128),
            }
    report: dict[str, object] = {
        "model": str(args.model),
        "images": len(per_image),
        "device": predictor.describe(),
        "seconds": round(time.perf_counter() - started, 2),
        "at_256": as_percent(mean_metrics(v["at_256"] for v in per_image.values())),
        "at_original": as_percent(mean_metrics(v["at_original"] for v in per_image.values())),
        "per_image": {k: {r: as_percent(m) for r, m in v.items()} for k, v in per_image.items()},
    }
    if args.compare is not None and args.compare.is_file():
        reference = np.load(args.compare)
        diffs = [float(np.abs(probabilities[n].astype(np.float32) - reference[n]).max()) for n in names]
        report["max_abs_prob_diff_vs_reference"] = max(diffs)
        # Masks are what users see: count the 256² pixels whose 0.5 decision differs.
        flips = [int(((probabilities[n] >= 0.5) != (reference[n] >= 0.5)).sum()) for n in names]
        report["mask_pixels_differing_vs_reference"] = sum(flips)
        print(
            f"  against {args.compare.name}: max |Δp| {max(diffs):.2e}, "
            f"{sum(flips)} of {len(names) * 256 * 256} mask pixels differ"
        )
    if args.save_probabilities is not None:
        np.savez_compressed(
            args.save_probabilities, **{n: p.astype(np.float32) for n, p in probabilities.items()}
        )
    _write_json(args.json, report)
    print(f"{args.model}: {len(per_image)} images in {report['seconds']} s on {report['device']}")
    for label in ("at_256", "at_original"):
        print(f"  {label:12} " + "  ".join(f"{k} {v:.2f}" for k, v in report[label].items()))
    return 0


def _weights_of_run(run: Path) -> Path:
    for name in ("best.safetensors", "model.safetensors"):
        if (run / name).is_file():
            return run / name
    from meddisseg_core.train.state import latest_weights_path

    return latest_weights_path(run)


def training_data_text(pack_json: Path | None, init: str) -> str:
    """What the packed file says it was trained on: the data pack's sources and counts, and its origin."""
    pack = json.loads(pack_json.read_text(encoding="utf-8")) if pack_json and pack_json.is_file() else {}
    train = pack.get("train") or {}
    parts = [f"Kvasir-SEG, {train.get('kvasir', 880)} training images of the official split"]
    if train.get("clinicdb"):
        parts.append(f"CVC-ClinicDB, all {train['clinicdb']} frames")
    origin = f"continued from {Path(init).name}" if init else "trained from scratch"
    return f"{' + '.join(parts)}; validated on Kvasir-SEG val; {origin} (no ImageNet weights)"


def step_pack(args: argparse.Namespace) -> int:
    from meddisseg_core import __version__
    from meddisseg_core.checkpoint import load_model, pack_model

    source = _weights_of_run(args.run)
    loaded = load_model(source)
    metrics: dict[str, float] = {}
    if args.eval is not None and args.eval.is_file():
        at_256 = json.loads(args.eval.read_text())["at_256"]
        metrics = {k: v / 100.0 for k, v in at_256.items()}
    metadata = loaded.metadata.with_changes(
        name="med-disseg-stage2-kvasir-default",
        version=__version__,
        training_data=training_data_text(args.data_pack, args.init),
        metrics=metrics or loaded.metadata.metrics,
        notes=f"{loaded.metadata.notes}; packed from {source.name}; model card: default.md",
    )
    packed = args.work / "default.safetensors"
    pack_model(packed, loaded.network, metadata)
    data = packed.read_bytes()
    for old in args.out.glob(PARTS_GLOB):
        old.unlink()
    count = -(-len(data) // PART_BYTES)
    for index in range(count):
        part = args.out / f"default.safetensors.part-{index:02d}-of-{count:02d}"
        part.write_bytes(data[index * PART_BYTES : (index + 1) * PART_BYTES])
    info = {
        "source": str(source),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "parts": count,
    }
    _write_json(args.work / "packed.json", info)
    print(f"packed {source} -> {len(data):,} bytes in {count} part(s), sha256 {info['sha256'][:16]}…")
    return 0


def step_bench(args: argparse.Namespace) -> int:
    import torch

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_inference

    tables = getattr(bench_inference, "cuda_tables", None)
    if not callable(tables):  # checked in the dry run too, so a renamed function fails on the CPU first
        print("error: bench_inference.py has no cuda_tables(repeats, warmup, quick)", file=sys.stderr)
        return 1
    if not torch.cuda.is_available():
        print("inference benchmarks: no CUDA device here; skipped (they run on the GPU machine)")
        return 0
    tables(args.repeats, 3, quick=False)
    return 0


def step_profile(args: argparse.Namespace) -> int:
    """A/B the training step (issue 20's first minutes): eager, then the compiled regions.

    The comparison itself is ``gpu_step_ab.compare``. ``--verdict`` gets the chosen arm as a
    config overlay for the training, ``--json`` the whole comparison.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import gpu_step_ab

    verdict = gpu_step_ab.compare(args)
    arms = verdict["arms"]
    assert isinstance(arms, list)
    if args.json is not None:
        _write_json(args.json, verdict)
    if args.verdict is not None:
        chosen = next(a for a in arms if a["arm"] == verdict["chosen"])
        compile_s = (chosen.get("compile_regions") or {}).get("compile_s") or 0
        # The comment tells the shell script how long the training process's own compile may take.
        args.verdict.write_text(
            f'compile_regions = "{chosen["arm"]}"\n# compile_s = {math.ceil(compile_s)}\n', encoding="utf-8"
        )
    return 0


def step_install(args: argparse.Namespace) -> int:
    from meddisseg_core.checkpoint import load_model

    parts = sorted(args.source.glob(PARTS_GLOB))
    if not parts:
        print(f"error: no {PARTS_GLOB} in {args.source}", file=sys.stderr)
        return 1
    expected = int(parts[0].name.rsplit("-of-", 1)[1])
    if len(parts) != expected:
        print(f"error: {len(parts)} of {expected} parts in {args.source}", file=sys.stderr)
        return 1
    data = b"".join(p.read_bytes() for p in parts)
    card = (
        json.loads((args.source / "default.json").read_text())
        if (args.source / "default.json").is_file()
        else {}
    )
    recorded = card.get("file", {}).get("sha256")
    if recorded and recorded != hashlib.sha256(data).hexdigest():
        print("error: the joined parts do not match the card's sha256", file=sys.stderr)
        return 1
    args.dest.mkdir(parents=True, exist_ok=True)
    staged = args.dest / ".default.new.safetensors"  # the suffix tells load_model the format
    staged.write_bytes(data)
    loaded = load_model(staged)  # checks the tensors' own SHA-256 and the packing
    staged.replace(args.dest / "default.safetensors")
    for name in ("default.md", "default.json"):
        if (args.source / name).is_file():
            shutil.copyfile(args.source / name, args.dest / name)
    print(f"installed {args.dest / 'default.safetensors'} ({len(data):,} bytes): {loaded.metadata.name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    env = sub.add_parser("env")
    env.add_argument("--json", type=Path, required=True)
    ev = sub.add_parser("evaluate")
    ev.add_argument("--model", type=Path, required=True)
    ev.add_argument("--data", type=Path, required=True)
    ev.add_argument("--split", default="val.txt")
    ev.add_argument("--json", type=Path, required=True)
    ev.add_argument("--device", default="auto")
    ev.add_argument("--batch", type=int, default=16)
    ev.add_argument("--save-probabilities", type=Path, help="write the 256×256 maps (.npz) for a comparison")
    ev.add_argument("--compare", type=Path, help="maps (.npz) of another model: report the max difference")
    pk = sub.add_parser("pack")
    pk.add_argument("--run", type=Path, required=True)
    pk.add_argument("--eval", type=Path)
    pk.add_argument("--work", type=Path, required=True)
    pk.add_argument("--out", type=Path, required=True)
    pk.add_argument("--data-pack", type=Path, help="the data pack's PACK.json (sources and counts)")
    pk.add_argument("--init", default="", help="the model the run continued from (empty: scratch)")
    bn = sub.add_parser("bench")
    bn.add_argument("--repeats", type=int, default=20)
    pf = sub.add_parser("profile")
    pf.add_argument("--data", type=Path, required=True)
    pf.add_argument("--work", type=Path, required=True)
    pf.add_argument("--config", type=Path, action="append", default=[])
    pf.add_argument("--device", default="cuda")
    pf.add_argument("--arms", default="off,inductor", help="compile_regions settings, the baseline first")
    pf.add_argument("--steps", type=int, default=16, help="training steps per arm")
    pf.add_argument("--profile-steps", type=int, default=6, help="steps recorded by torch.profiler")
    pf.add_argument("--min-gain", type=float, default=1.05, help="speed-up an arm needs to be chosen")
    pf.add_argument("--top", type=int, default=20)
    pf.add_argument("--json", type=Path, help="write the comparison here")
    pf.add_argument("--verdict", type=Path, help="write the chosen arm as a training config overlay")
    ins = sub.add_parser("install")
    ins.add_argument(
        "--source", type=Path, required=True, help="the folder the GPU call's files came back to"
    )
    ins.add_argument("--dest", type=Path, default=Path("resources/models"))
    args = parser.parse_args(argv)
    steps = {"env": step_env, "evaluate": step_evaluate, "pack": step_pack, "bench": step_bench}
    steps["install"] = step_install
    steps["profile"] = step_profile
    return steps[args.step](args)


if __name__ == "__main__":
    sys.exit(main())
