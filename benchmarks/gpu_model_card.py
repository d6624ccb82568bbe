"""The shipped model's card: ``default.json`` (the numbers) and ``default.md`` (for people).

Usage (from ``benchmarks/gpu_default_model.sh``)::

    python benchmarks/gpu_model_card.py --out OUT --events E --env ENV --eval-full F --eval-packed P
        --packed-info I [--previous resources/models/default.json] [--init PATH] [--wall-seconds S]

Everything on the card is read from the run's own files: the training events (recipe, epochs,
images/s, GPU memory, wall time), the evaluations of the unpacked and the packed model, and the
packing record. ``default.json`` keeps the packed model's per-image scores, which
``tests/core/test_default_model_card.py`` re-computes with ``meddisseg evaluate``, and the history
of every run that produced a shipped model (a continuation appends a row). A missing input leaves
its section marked "not measured" rather than stopping the card.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

NAME = "Med-DisSeg stage 2, polyp default model"
KVASIR_ONLY = {
    "Kvasir-SEG": {
        "licence": "research and education only",
        "citation": "D. Jha et al. Kvasir-SEG: A Segmented Polyp Dataset. MultiMedia Modeling (MMM) 2020. "
        "doi:10.1007/978-3-030-37734-2_37",
    }
}


def _read(path: Path | None) -> Any:
    if path is None or not path.is_file():
        return None
    if path.suffix == ".jsonl":
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return rows
    return json.loads(path.read_text(encoding="utf-8"))


def _quartiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {}
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {"min": min(values), "q1": q1, "median": median, "q3": q3, "max": max(values)}


def _training(events: list[dict] | None) -> dict[str, Any]:
    if not events:
        return {}
    started = next((e for e in events if e["type"] == "started"), {})
    epochs = [e for e in events if e["type"] == "epoch_end"]
    end = next((e for e in reversed(events) if e["type"] in ("finished", "failed", "cancelled")), {})
    speeds = [e["images_per_s"] for e in epochs[1:] if e.get("images_per_s")]
    memory = [e["gpu_memory_gib"] for e in epochs if e.get("gpu_memory_gib") is not None]
    return {
        "config": started.get("config"),
        "device": started.get("device"),
        "precision": started.get("precision"),
        "channels_last": started.get("channels_last"),
        "train_images": started.get("train_images"),
        "val_images": started.get("val_images"),
        "backbone_init": started.get("backbone_init"),
        "end": end.get("type"),
        "reason": end.get("reason"),
        "train_seconds": end.get("elapsed_s"),
        "epochs": end.get("epochs"),
        "steps": end.get("steps"),
        "best_epoch": end.get("best_epoch"),
        "best_val_mdsc_during_training": end.get("best_mdsc"),
        "images_per_s_median": statistics.median(speeds) if speeds else None,
        "gpu_memory_gib_max": max(memory) if memory else None,
    }


def build_card(args: argparse.Namespace) -> dict[str, Any]:
    env = _read(args.env) or {}
    full, packed, info = _read(args.eval_full), _read(args.eval_packed), _read(args.packed_info) or {}
    previous = _read(args.previous) or {}
    training = _training(_read(args.events))
    scored = packed or full or {}
    dice = [v["at_256"]["mdsc"] for v in scored.get("per_image", {}).values()]
    diff = None
    if full and packed:
        diff = {
            "mdsc_at_256_points": round(packed["at_256"]["mdsc"] - full["at_256"]["mdsc"], 4),
            "mdsc_at_original_points": round(packed["at_original"]["mdsc"] - full["at_original"]["mdsc"], 4),
            "max_abs_probability": packed.get("max_abs_prob_diff_vs_reference"),
        }
    init = args.init or "scratch"
    pack = _read(getattr(args, "data_pack", None)) or {}
    sources = pack.get("sources") or KVASIR_ONLY
    ranking = _read(getattr(args, "ranking", None))
    speed = _read(getattr(args, "speed", None))
    row = {
        "date": env.get("date") or datetime.now(UTC).isoformat(timespec="seconds"),
        "device": env.get("device"),
        "train_minutes": round(training["train_seconds"] / 60, 2) if training.get("train_seconds") else None,
        "wall_minutes": round(args.wall_seconds / 60, 2) if args.wall_seconds else None,
        "val_mdsc_256": scored.get("at_256", {}).get("mdsc"),
        "init": init,
        "data": " + ".join(sources),
    }
    return {
        "name": NAME,
        "file": {"name": "default.safetensors", **{k: info.get(k) for k in ("bytes", "sha256", "parts")}},
        "trained_from_scratch": init == "scratch",
        "init": init,
        "data": {
            "dataset": " + ".join(sources),
            "sources": sources,
            "train_images": training.get("train_images"),
            "train_by_source": {
                k: v for k, v in (pack.get("train") or {}).items() if k in ("kvasir", "clinicdb")
            },
            "val_images": scored.get("images"),
            "split": "official train.txt / val.txt of DebeshJha/Kvasir-SEG"
            + (
                "; every CVC-ClinicDB frame in train (its sequences are never split)"
                if len(sources) > 1
                else ""
            ),
        },
        "uncertainty_ranking": None
        if not ranking
        else {k: ranking.get(k) for k in ("images", "bad_dice_below", "top_share", "scores")},
        "environment": env,
        "training": training,
        "training_step_ab": _speed_summary(speed),
        "metrics": {"packed": _summary(packed), "unpacked": _summary(full)},
        "packed_vs_unpacked": diff,
        "dice_at_256_quartiles": _quartiles(dice),
        "per_image": {
            name: {
                "dice_256": v["at_256"]["mdsc"],
                "iou_256": v["at_256"]["miou"],
                "dice_original": v["at_original"]["mdsc"],
            }
            for name, v in scored.get("per_image", {}).items()
        },
        "per_image_model": "packed" if packed else ("unpacked" if full else None),
        "history": [*previous.get("history", []), row],
    }


def _summary(report: dict | None) -> dict[str, Any] | None:
    if not report:
        return None
    return {"at_256": report["at_256"], "at_original": report["at_original"], "images": report["images"]}


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "not measured"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _metrics_table(card: dict[str, Any]) -> list[str]:
    lines = [
        "| model | resolution | mDSC | mIoU | recall | precision | F2 |",
        "|---|---|---|---|---|---|---|",
    ]
    for model in ("packed", "unpacked"):
        summary = card["metrics"][model]
        for res in ("at_256", "at_original"):
            m = summary[res] if summary else {}
            label = "256×256 (authors' protocol)" if res == "at_256" else "original size"
            cells = [_fmt(m.get(k)) for k in ("mdsc", "miou", "recall", "precision", "f2")]
            lines.append(f"| {model} | {label} | " + " | ".join(cells) + " |")
    return lines


def _speed_summary(speed: Any) -> dict[str, Any] | None:
    """The A/B of the training step at the start of the call (gpu_default_steps.py profile)."""
    if not speed:
        return None
    arms = [
        {
            "arm": a.get("arm"),
            "images_per_s": a.get("images_per_s"),
            "peak_gib": a.get("peak_gib"),
            "compile_s": (a.get("compile_regions") or {}).get("compile_s"),
            "error": (a.get("compile_regions") or {}).get("error"),
            "step_1_loss": (a.get("losses") or {}).get("1"),
        }
        for a in speed.get("arms", [])
    ]
    return {"chosen": speed.get("chosen"), "reason": speed.get("reason"), "arms": arms}


def _speed_lines(card: dict[str, Any]) -> list[str]:
    ab = card.get("training_step_ab")
    if not ab:
        return []
    lines = [
        "## Training step: eager against compiled regions (the call's first minutes)",
        "`compile_regions` fuses BatchNorm + TeLU and the CDFA sums (meddisseg_core/nn/regions.py). "
        "Same seed, same batches, the recipe's batch size, full size; images/s after the warm-up "
        "and the profiled steps.",
        "",
        "| compile_regions | train images/s | peak GiB | compile s | step-1 loss |",
        "|---|---|---|---|---|",
    ]
    for a in ab["arms"]:
        lines.append(
            f"| {a['arm']} | {_fmt(a['images_per_s'], 1)} | {_fmt(a['peak_gib'])} | "
            f"{_fmt(a['compile_s'], 1)} | {_fmt(a['step_1_loss'], 5)} |"
        )
    lines += ["", f"Training used `{ab['chosen']}`: {ab['reason']}.", ""]
    return lines


def _ranking_lines(card: dict[str, Any]) -> list[str]:
    ranking = card.get("uncertainty_ranking")
    if not ranking:
        return []
    lines = [
        "## Review-queue ranking (benchmarks/bench_uncertainty_ranking.py)",
        f"Bad proposals: val Dice < {ranking['bad_dice_below']}. The app's queue ranks by the uncertainty "
        "head when the model has one.",
        "",
        f"| score | bad proposals | in the top {ranking['top_share']:.0%} | share | AUROC |",
        "|---|---|---|---|---|",
    ]
    for label, q in (ranking.get("scores") or {}).items():
        capture = None if q.get("capture") is None else q["capture"] * 100
        lines.append(
            f"| {label} | {q.get('bad')} | {q.get('bad_in_top')} of {q.get('top_count')} | "
            f"{_fmt(capture, 0)} % | {_fmt(q.get('auroc'), 3)} |"
        )
    return [*lines, ""]


def render_markdown(card: dict[str, Any]) -> str:
    t, env = card["training"], card["environment"]
    q = card["dice_at_256_quartiles"]
    diff = card["packed_vs_unpacked"] or {}
    cfg = t.get("config") or {}
    optim, budget = cfg.get("optim") or {}, cfg.get("time_budget") or {}
    origin = (
        "**Trained from scratch, no ImageNet weights.**"
        if card["trained_from_scratch"]
        else f"**Continued from `{card['init']}`**, itself trained from scratch (no ImageNet weights)."
    )
    quartiles = ", ".join(f"{k} {_fmt(q.get(k))}" for k in ("min", "q1", "median", "q3", "max"))
    lines = [
        f"# {card['name']}",
        "",
        origin,
        "",
        "## Data and split",
        f"- {card['data']['dataset']}: {card['data']['train_images']} training images, "
        f"{_fmt(card['data']['val_images'])} validation images ({card['data']['split']}).",
        "- The best checkpoint was chosen by val mDSC and the scores below are on that same val set "
        "(Kvasir-SEG has no separate test split; the authors report on it the same way): "
        "they are optimistic.",
        "",
        "## Recipe",
        f"- Stage {cfg.get('stage', 2)} network ({_fmt(cfg.get('network'))} size), "
        f"`configs/gpu-default.toml` (reasons in configs/README.md): batch {_fmt(cfg.get('batch_size'))}, "
        f"precision {_fmt(t.get('precision'))}, channels_last {_fmt(t.get('channels_last'))}, "
        f"compile_regions {_fmt(cfg.get('compile_regions', 'off'))}, "
        "losses on logits in fp32, "
        f"AdamW lr {_fmt(optim.get('lr_head'), 5)}, warm-up then cosine decay over a time budget of "
        f"{_fmt(budget.get('seconds'), 0)} s, the data set resident on the device and augmented there.",
        f"- Stopped by: {_fmt(t.get('reason'))}; {_fmt(t.get('epochs'))} epochs, "
        f"{_fmt(t.get('steps'))} steps; best epoch {_fmt(t.get('best_epoch'))}.",
        "",
        "## Run",
        f"- Device: {_fmt(env.get('device'))} ({_fmt(env.get('gpu_memory_gib'))} GiB), "
        f"torch {_fmt(env.get('torch'))}, CUDA {_fmt(env.get('cuda'))}; date {_fmt(env.get('date'))}.",
        f"- Training time {_fmt(t.get('train_seconds'), 0)} s; "
        f"{_fmt(t.get('images_per_s_median'), 0)} training images/s (median over epochs); "
        f"peak GPU memory {_fmt(t.get('gpu_memory_gib_max'))} GiB.",
        "",
        "## Validation scores (percent, mean of per-image scores)",
        *_metrics_table(card),
        "",
        f"Per-image Dice at 256 ({_fmt(card['per_image_model'])} model): {quartiles}. "
        "Every image's scores are in `default.json`.",
        "",
        "## Packed versus unpacked",
        "- The shipped file stores conv/linear weights as int8 with one fp32 scale per output channel "
        f"({_fmt(card['file'].get('bytes'))} bytes). Packed minus unpacked, mDSC at 256: "
        f"{_fmt(diff.get('mdsc_at_256_points'), 3)} points; at original size: "
        f"{_fmt(diff.get('mdsc_at_original_points'), 3)} points; largest probability difference "
        f"over the val images: {_fmt(diff.get('max_abs_probability'), 4)}.",
        "",
        *_speed_lines(card),
        *_ranking_lines(card),
        "## Data sources, licences and citations",
        *[
            f"- **{name}**: {info.get('licence')}. Cite: {info.get('citation')}"
            for name, info in card["data"].get("sources", KVASIR_ONLY).items()
        ],
        "- Kvasir-SEG's licence allows research and education only; commercial use needs its authors' "
        "written permission, and so does any use of this model beyond those.",
        "",
        "## Intended use",
        "- Proposals of polyp masks in colonoscopy frames, **for human review** in Med-DisSeg Studio. "
        "**Never for diagnosis**, never without a clinician checking every mask.",
        "",
        "## Known limits",
        f"- Trained on {card['data']['dataset']} only: other endoscopes, organs or lesion types "
        "were not tested.",
        "- Small, flat or partly hidden polyps and specular reflections are the usual failures: "
        "see the low end of the per-image Dice in `default.json`.",
        "- The packed file is inference-only: it keeps the mask path and the uncertainty head, not the "
        "foreground/background auxiliary heads, so it cannot resume training (continue with `--init`).",
        "",
        "## History",
        "| date | device | data | train minutes | wall minutes | val mDSC at 256 | started from |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {_fmt(r.get('date'))} | {_fmt(r.get('device'))} | {r.get('data') or 'Kvasir-SEG'} | "
            f"{_fmt(r.get('train_minutes'))} | {_fmt(r.get('wall_minutes'))} | "
            f"{_fmt(r.get('val_mdsc_256'))} | {_fmt(r.get('init'))} |"
            for r in card["history"]
        ],
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    for name in (
        "events",
        "env",
        "eval-full",
        "eval-packed",
        "packed-info",
        "previous",
        "data-pack",
        "ranking",
        "speed",
    ):
        parser.add_argument(f"--{name}", type=Path)
    parser.add_argument("--init", default="")
    parser.add_argument("--wall-seconds", type=float)
    args = parser.parse_args(argv)
    card = build_card(args)
    (args.out / "default.json").write_text(
        json.dumps(card, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    (args.out / "default.md").write_text(render_markdown(card), encoding="utf-8")
    packed = card["metrics"]["packed"]
    print(
        f"model card written to {args.out}/default.md (val mDSC at 256: "
        f"{_fmt(packed['at_256']['mdsc'] if packed else None)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
