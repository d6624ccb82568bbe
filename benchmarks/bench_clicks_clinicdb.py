"""Clicks from the shipped model's proposals on CVC-ClinicDB: the check set for click-method choices.

Usage: ``python benchmarks/bench_clicks_clinicdb.py [--every 6] [--methods ours local] [--cache FILE]``

Kvasir-SEG val is the issue's benchmark (``bench_interactive.py``) and it also chose between the
click methods; this script is the second opinion on frames that chose nothing: every sixth of
CVC-ClinicDB's 612 frames (102 frames from all 31 sequences), starting from the shipped model's
proposal (that model never trained on ClinicDB; the click refiner saw ClinicDB frames only with
corrupted ground truth, never these proposals). Same simulated annotator, same NoC. Prints one
row per method: start IoU, NoC@85, NoC@90.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_interactive import run_clicks  # noqa: E402
from interactive_methods import build_method  # noqa: E402

CLINICDB = ROOT.parent / "shared" / "data" / "CVC-ClinicDB"


def proposals(items: list, cache: Path | None) -> dict[str, np.ndarray]:
    """The shipped model's full-frame maps (fp32), from ``cache`` when it holds them all."""
    if cache is not None and cache.exists():
        stored = dict(np.load(cache))
        if all(name in stored for name, _, _ in items):
            return stored
    from meddisseg_core.inference import Predictor

    predictor = Predictor.from_path(None, device="cpu", precision="fp32")
    maps = {name: predictor.predict(image).probability for name, image, _ in items}
    if cache is not None:
        np.savez(cache, **maps)
    return maps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinicdb", type=Path, default=CLINICDB)
    parser.add_argument("--every", type=int, default=6, help="every N-th frame of all.txt")
    parser.add_argument("--methods", nargs="+", default=["ours", "local"])
    parser.add_argument("--cache", type=Path, help="keep the proposals in this .npz (development)")
    args = parser.parse_args(argv)
    from meddisseg_core.imageio import read_image, read_mask

    names = [n.strip() for n in (args.clinicdb / "all.txt").read_text().splitlines() if n.strip()]
    items = []
    for name in names[:: args.every]:
        image = read_image(args.clinicdb / "images" / name)
        items.append((name, image, read_mask(args.clinicdb / "masks" / name, image.shape[:2]).astype(bool)))
    maps = proposals(items, args.cache)
    print(f"CVC-ClinicDB, every {args.every}th frame: {len(items)} frames, from the shipped model's proposal")
    print("| method | start IoU | NoC@85 | NoC@90 |\n|---|---|---|---|")
    for method in args.methods:
        segmenter = build_method(method, None)  # clicks get the proposal's map: no network pass
        runs = [run_clicks(segmenter, image, gt, maps[name] > 0.5, maps[name]) for name, image, gt in items]
        start = statistics.fmean(r.ious[0] for r in runs)
        noc85 = statistics.fmean(r.noc(0.85) for r in runs)
        noc90 = statistics.fmean(r.noc(0.90) for r in runs)
        print(f"| {method} | {start:.3f} | {noc85:.2f} | {noc90:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
