"""``meddisseg evaluate``: the paper's six metrics of a model on a dataset folder.

The folder has the authors' layout, ``images/`` and ``masks/`` with matching stems. Two sets of
scores are reported: ``at_256``, the authors' protocol (prediction at the network's 256×256
input, GT bilinearly resized; a model with another input size is resized to 256×256), and
``at_original``, the prediction resized back to each image's size against the GT as read.
Scores are the mean over images of per-image scores, in percent.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from meddisseg_core.cli.common import FailureLog, add_model_arguments, batched, build_predictor, progress
from meddisseg_core.data.splits import read_split_file
from meddisseg_core.errors import DatasetError, MaskError, MedDisSegError
from meddisseg_core.imageio import SUPPORTED_EXTENSIONS, read_image, read_mask_grey, scan_images
from meddisseg_core.inference.preprocessing import resize_map
from meddisseg_core.metrics import (
    METRIC_KEYS,
    as_percent,
    mean_metrics,
    metrics_at_model_size,
    segmentation_metrics,
)

AUTHORS_SIZE = (256, 256)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "evaluate",
        help="score a model on a folder with images/ and masks/",
        description="Compute mIoU, mDSC, recall, precision, accuracy and F2 at 256×256 (the authors' "
        "protocol) and at the original resolution.",
    )
    parser.add_argument("--data", type=Path, required=True, help="folder holding images/ and masks/")
    parser.add_argument(
        "--split",
        type=Path,
        default=None,
        help="file naming the images to use, one a line, as train.txt/val.txt (may be relative to --data)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    add_model_arguments(parser)
    parser.set_defaults(func=run)
    return parser


def _find(folder: Path, name: str) -> Path | None:
    """``folder/name`` if it exists, else a file in ``folder`` with the same stem."""
    direct = folder / name
    if direct.suffix.lower() in SUPPORTED_EXTENSIONS and direct.is_file():
        return direct
    stem = Path(name).stem if Path(name).suffix.lower() in SUPPORTED_EXTENSIONS else name
    for ext in sorted(SUPPORTED_EXTENSIONS):
        for candidate in (folder / f"{stem}{ext}", folder / f"{stem}{ext.upper()}"):
            if candidate.is_file():
                return candidate
    return None


def _split_names(data: Path, split: Path) -> list[str]:
    """The names a split file lists, by train's rule (plain names inside images/, no duplicates).

    Missing images are not an error here: each is reported and the others are scored.
    """
    path = split if split.is_file() or split.is_absolute() else data / split
    return list(read_split_file(path))


def _pairs(args: argparse.Namespace, failures: FailureLog) -> list[tuple[Path, Path]]:
    images_dir, masks_dir = args.data / "images", args.data / "masks"
    for folder in (images_dir, masks_dir):
        if not folder.is_dir():
            raise DatasetError(f"{folder}: missing; --data must hold images/ and masks/")
    if args.split is not None:
        names = _split_names(args.data, args.split)
    else:
        scan = scan_images(images_dir)
        for path, reason in scan.unreadable:
            failures.add(path, reason)
        names = [p.name for p in scan.images]
    pairs = []
    for name in names:
        image = _find(images_dir, name)
        if image is None:
            failures.add(images_dir / name, "image not found")
            continue
        mask = _find(masks_dir, image.name)
        if mask is None:
            failures.add(image, f"no mask with stem {image.stem!r} in {masks_dir}")
            continue
        pairs.append((image, mask))
    return pairs


def _evaluate(args: argparse.Namespace) -> tuple[dict[str, Any], int]:
    failures = FailureLog()
    pairs = _pairs(args, failures)
    predictor = build_predictor(args) if pairs else None
    at_256: list[dict[str, float]] = []
    at_original: list[dict[str, float]] = []
    with progress(len(pairs), "evaluate") as bar:
        for chunk in batched(pairs, args.batch_size):
            images, masks, names = [], [], []
            for image_path, mask_path in chunk:
                try:
                    image = read_image(image_path, max_pixels=args.max_pixels)
                    grey = read_mask_grey(mask_path, max_pixels=args.max_pixels)
                    if grey.shape != image.shape[:2]:
                        raise MaskError(
                            f"{mask_path}: mask is {grey.shape[0]}×{grey.shape[1]} (H×W) but the image "
                            f"is {image.shape[0]}×{image.shape[1]}"
                        )
                except MedDisSegError as exc:
                    failures.add(image_path, exc)
                    continue
                images.append(image)
                masks.append(grey)
                names.append(image_path)
            bar.update(len(chunk))
            if not images:
                continue
            assert predictor is not None
            try:
                predictions = predictor.predict_batch(images)
            except (MedDisSegError, RuntimeError, ValueError) as exc:
                for name in names:
                    failures.add(name, f"prediction failed: {exc}")
                continue
            for prediction, grey in zip(predictions, masks, strict=True):
                small = prediction.network_probability
                assert small is not None
                if small.shape != AUTHORS_SIZE:
                    small = resize_map(small, AUTHORS_SIZE)
                at_256.append(metrics_at_model_size(small, grey))
                at_original.append(segmentation_metrics(prediction.probability, grey >= 128))
    report: dict[str, Any] = {
        "at_256": as_percent(mean_metrics(at_256)) if at_256 else None,
        "at_original": as_percent(mean_metrics(at_original)) if at_original else None,
        "images": len(at_256),
        "failed": failures.entries,
        "device": predictor.device_report.describe() if predictor else None,
        "weights": str(args.weights) if args.weights else "default",
        "tta": bool(args.tta),
        "precision": predictor.precision if predictor else None,
        "model_input_size": list(predictor.convention.size) if predictor else None,
    }
    return report, len(at_256)


def _print_table(report: dict[str, Any]) -> None:
    print(f"{'':14}" + "".join(f"{key:>11}" for key in METRIC_KEYS))
    for label in ("at_256", "at_original"):
        values = report[label]
        if values is not None:
            print(f"{label:14}" + "".join(f"{values[key]:>11.2f}" for key in METRIC_KEYS))
    print(f"images: {report['images']}  failed: {len(report['failed'])}  device: {report['device']}")


def run(args: argparse.Namespace) -> int:
    report, scored = _evaluate(args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_table(report)
    if not scored:
        print("meddisseg evaluate: no image could be scored", file=sys.stderr)
    return 0 if scored else 1
