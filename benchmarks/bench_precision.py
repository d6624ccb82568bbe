"""Does lower precision change the masks? fp32 against bf16/fp16 on validation images.

For a weights file, predicts N validation images once in fp32 and once per lower precision,
and prints, per precision: the mean and minimum Dice between its binary masks and the fp32 masks,
the largest probability difference, and the time per image. This is the measurement that may
set ``AUTO_PRECISION`` in ``meddisseg_core/inference/precision.py`` for a device type.

On CUDA both bf16 and fp16 are tried; on the CPU only bf16, which on CPUs without bf16
instructions (AVX-512-BF16 / AMX) is emulated and usually slower than fp32.

Example::

    python benchmarks/bench_precision.py --weights resources/models/default.safetensors \\
        --data ../shared/data/Kvasir-SEG --split val.txt -n 40 --device auto
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

from meddisseg_core.imageio import list_images, read_image
from meddisseg_core.inference import Predictor
from meddisseg_core.metrics import segmentation_metrics


def _image_paths(data: Path, split: Path | None, count: int) -> list[Path]:
    images = data / "images" if (data / "images").is_dir() else data
    if split is None:
        return list_images(images)[:count]
    split_file = split if split.is_file() else data / split
    names = [line.strip() for line in split_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [images / name for name in names[:count]]


def _timed_predictions(predictor: Predictor, images: list[np.ndarray], batch: int) -> tuple[list, float]:
    predictor.predict_batch(images[:1])  # warm-up: CUDA context, autocast caches, allocator
    if predictor.device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    results = []
    for i in range(0, len(images), batch):
        results.extend(predictor.predict_batch(images[i : i + batch]))
    if predictor.device.type == "cuda":
        torch.cuda.synchronize()
    return results, (time.perf_counter() - start) / len(images)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--weights", type=Path, default=None, help="model file (default: the shipped model)")
    parser.add_argument(
        "--data", type=Path, required=True, help="dataset folder (images/ inside) or image folder"
    )
    parser.add_argument(
        "--split", type=Path, default=None, help="split file naming the images (e.g. val.txt)"
    )
    parser.add_argument("-n", "--count", type=int, default=40, help="number of images (default: 40)")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--tta", action="store_true")
    args = parser.parse_args(argv)

    paths = _image_paths(args.data, args.split, args.count)
    images = [read_image(p) for p in paths]
    reference = Predictor.from_path(args.weights, device=args.device, tta=args.tta, precision="fp32")
    device = reference.device
    print(f"device: {reference.describe()}  images: {len(images)}", file=sys.stderr)
    candidates = ["bf16", "fp16"] if device.type == "cuda" else ["bf16"]
    if device.type == "cpu":
        print(
            "warning: bf16 on this CPU has no hardware support (no AVX-512-BF16/AMX); it is emulated, "
            "so its time says nothing about a GPU",
            file=sys.stderr,
        )
    fp32, fp32_time = _timed_predictions(reference, images, args.batch_size)
    header = ("precision", "mean Dice", "min Dice", "px flipped %", "max |dp|", "ms/img")
    row = "{:>9} {:>10} {:>9} {:>13} {:>9} {:>8}"
    print(row.format(*header))
    print(row.format("fp32", "1.00000", "1.00000", "0.0000", "0.0000", f"{1000 * fp32_time:.1f}"))
    for precision in candidates:
        predictor = Predictor(reference.loaded, device=device, tta=args.tta, precision=precision)
        if predictor.precision != precision:
            print(f"{precision:>9} skipped: {predictor.describe()}")
            continue
        results, seconds = _timed_predictions(predictor, images, args.batch_size)
        pairs = list(zip(results, fp32, strict=True))
        dice = [segmentation_metrics(r.probability, a.probability > 0.5)["mdsc"] for r, a in pairs]
        flipped = sum(np.count_nonzero((r.probability > 0.5) != (a.probability > 0.5)) for r, a in pairs)
        flipped_pct = 100.0 * flipped / sum(a.probability.size for a in fp32)
        diff = max(float(np.abs(r.probability - a.probability).max()) for r, a in pairs)
        print(
            row.format(
                precision,
                f"{np.mean(dice):.5f}",
                f"{np.min(dice):.5f}",
                f"{flipped_pct:.4f}",
                f"{diff:.4f}",
                f"{1000 * seconds:.1f}",
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
