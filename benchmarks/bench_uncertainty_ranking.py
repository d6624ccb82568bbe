"""Which score finds the bad proposals: the uncertainty head or the entropy of the mask?

For a stage-2 model and a split (default: the shipped model on Kvasir-SEG val), predicts every
image once with the uncertainty map, scores each proposal (Dice against the ground truth at the
authors' 256x256, as the model card does), and prints, per review-queue score, how many of the
bad proposals (Dice < --bad-dice, 0.7 by default) sit in the top --top share of the queue (20 %)
and the score's AUROC for telling bad from good. Issue 20's bar: the head's top 20 % holds at
least 50 % of the bad proposals.

    python benchmarks/bench_uncertainty_ranking.py [--weights W] [--data DIR] [--split val.txt] [--json]
    python benchmarks/bench_uncertainty_ranking.py --dry-run     # CI: tiny random network, 5 images

A model file without the uncertainty path (packed before issue 20) has only the entropy row.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / ".." / "shared" / "data" / "Kvasir-SEG"


def _names(split: Path) -> list[str]:
    return [line.strip() for line in split.read_text(encoding="utf-8").splitlines() if line.strip()]


def _tiny_model(folder: Path) -> Path:
    """A tiny stage-2 network with perturbed BN statistics, packed as a shipped file is."""
    import torch

    from meddisseg_core.checkpoint import ModelMetadata, pack_model
    from meddisseg_core.nn import NetworkConfig, build_network

    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(2))
    with torch.no_grad():
        for name, tensor in network.state_dict().items():
            if name.endswith("running_var"):
                tensor.uniform_(0.5, 1.5)
    network.eval()
    path = folder / "tiny.safetensors"
    pack_model(path, network, ModelMetadata(network=network.config, name="tiny-dry-run"))
    return path


def measure(
    weights: Path, data: Path, names: list[str], *, bad_dice: float, top: float, device: str = "cpu"
) -> dict:
    from meddisseg_core.checkpoint import load_model
    from meddisseg_core.data.io import mask_path_for
    from meddisseg_core.imageio import read_image, read_mask_grey
    from meddisseg_core.inference import Predictor
    from meddisseg_core.inference.preprocessing import resize_map
    from meddisseg_core.metrics import metrics_at_model_size
    from meddisseg_core.ranking import entropy_score, head_score, ranking_quality

    started = time.perf_counter()
    predictor = Predictor(load_model(weights), device=device, precision="fp32")
    rows: list[dict[str, float | str | None]] = []
    for name in names:
        image = read_image(data / "images" / name)
        grey = read_mask_grey(mask_path_for(data / "masks", name))
        prediction = predictor.predict(image, with_uncertainty=predictor.has_uncertainty)
        small = prediction.network_probability
        if small.shape != (256, 256):
            small = resize_map(small, (256, 256))
        rows.append(
            {
                "name": name,
                "dice": metrics_at_model_size(small, grey)["mdsc"],
                "entropy": entropy_score(prediction.probability),
                "head": None if prediction.uncertainty is None else head_score(prediction.uncertainty),
            }
        )
    dice = [float(r["dice"]) for r in rows]  # type: ignore[arg-type]
    scores = {"entropy": [float(r["entropy"]) for r in rows]}  # type: ignore[arg-type]
    if all(r["head"] is not None for r in rows):
        scores["uncertainty head"] = [float(r["head"]) for r in rows]  # type: ignore[arg-type]
    results = {
        label: ranking_quality(values, dice, bad_below=bad_dice, top=top)._asdict()
        for label, values in scores.items()
    }
    return {
        "model": str(weights),
        "images": len(rows),
        "bad_dice_below": bad_dice,
        "top_share": top,
        "mean_dice": float(np.mean(dice)) if dice else float("nan"),
        "seconds": round(time.perf_counter() - started, 1),
        "scores": results,
        "per_image": rows,
    }


def _finite(value: object) -> object:
    """NaN (no bad proposal, or only bad ones) as null: JSON has no NaN."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def print_table(report: dict) -> None:
    top = report["top_share"]
    print(
        f"{report['images']} images, model {Path(report['model']).name}, "
        f"mean Dice {report['mean_dice']:.3f}, "
        f"bad = Dice < {report['bad_dice_below']}, {report['seconds']} s"
    )
    print(f"| score | bad proposals | in the top {top:.0%} | share | AUROC |")
    print("|---|---|---|---|---|")
    for label, q in report["scores"].items():
        print(
            f"| {label} | {q['bad']} | {q['bad_in_top']} of {q['top_count']} | "
            f"{q['capture'] * 100:.0f} % | {q['auroc']:.3f} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--weights", type=Path, default=None, help="model file (default: the shipped model)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", default="val.txt")
    parser.add_argument("-n", type=int, default=None, help="first N images of the split only")
    parser.add_argument("--bad-dice", type=float, default=0.7)
    parser.add_argument("--top", type=float, default=0.2)
    parser.add_argument("--json", type=Path, default=None, help="also write the report (with per-image rows)")
    parser.add_argument("--dry-run", action="store_true", help="tiny random network on 5 images (CI)")
    parser.add_argument("--device", default="cpu", help="cpu (default), cuda or auto")
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    names = _names(args.data / args.split)
    with tempfile.TemporaryDirectory() as scratch:
        if args.dry_run:
            weights = _tiny_model(Path(scratch))
            names = names[:5]
        else:
            from meddisseg_core.inference import default_model_path

            weights = args.weights or default_model_path()
            if args.n is not None:
                names = names[: args.n]
        report = measure(weights, args.data, names, bad_dice=args.bad_dice, top=args.top, device=args.device)
    print_table(report)
    if args.json is not None:
        args.json.write_text(json.dumps(_finite(report), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
