"""``meddisseg predict``: write a 0/255 PNG mask for every image of a folder.

Masks are written at each image's own size under the image's stem (``a.jpg`` -> ``a.png``).
A file that cannot be read or predicted is reported and skipped; the command fails (exit 1)
only if no mask at all could be written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from meddisseg_core.cli.common import FailureLog, add_model_arguments, batched, build_predictor, progress
from meddisseg_core.errors import DatasetError, MedDisSegError
from meddisseg_core.imageio import read_image, scan_images, write_mask_png
from meddisseg_core.inference import Prediction, Predictor
from meddisseg_core.names import name_problem, safe_name, unique_name


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "predict",
        help="segment every image in a folder and write PNG masks",
        description="Segment every image in --input; write 0/255 PNG masks with the same stem to --output.",
    )
    parser.add_argument("--input", type=Path, required=True, help="folder of images (jpg, png, bmp, tif)")
    parser.add_argument("--output", type=Path, required=True, help="folder for the masks (created)")
    parser.add_argument(
        "--threshold", type=float, default=0.5, help="foreground where probability > this (default: 0.5)"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    add_model_arguments(parser)
    parser.set_defaults(func=run)
    return parser


def _output_names(paths: list[Path]) -> dict[Path, str]:
    """``stem.png`` per image; on a stem clash (a.jpg and a.png) the later one keeps its suffix.

    A name that not every reader accepts (a line break or control character, a leading dot, a
    character Windows forbids...) is renamed by the exports' rule (:mod:`meddisseg_core.names`),
    with a note saying so.
    """
    names: dict[Path, str] = {}
    used: set[str] = set()
    for path in paths:
        name = f"{path.stem}.png"
        clash = name.casefold() in used
        if clash:
            name = f"{path.name}.png"
        problem = name_problem(name)
        if problem:
            name = safe_name(name)
        name = unique_name(name, used)
        if problem:
            print(f"note: {path.name!r}: {problem}; its mask is {name!r}", file=sys.stderr)
        elif clash:
            print(
                f"note: {path.name} shares its stem with another image; its mask is {name}", file=sys.stderr
            )
        used.add(name.casefold())
        names[path] = name
    return names


def _predict_chunk(
    predictor: Predictor, images: list[np.ndarray], paths: list[Path], failures: FailureLog
) -> list[tuple[Path, Prediction]]:
    try:
        return list(zip(paths, predictor.predict_batch(images), strict=True))
    except (MedDisSegError, RuntimeError, ValueError):
        if len(images) == 1:
            raise
    # One image spoiled the batch: redo them one by one so only that image is lost.
    done = []
    for path, image in zip(paths, images, strict=True):
        try:
            done.append((path, predictor.predict(image)))
        except (MedDisSegError, RuntimeError, ValueError) as exc:
            failures.add(path, f"prediction failed: {exc}")
    return done


def check_output(output: Path, input_folder: Path) -> None:
    """Refuse an unusable ``--output`` before any work (no side effects; exit 2).

    A file there, the input folder itself, or a path under a file: otherwise every image would
    be predicted first and every write would then fail.
    """
    if output.exists() and not output.is_dir():
        raise DatasetError(f"{output}: --output must be a folder for the masks, and this is not a folder")
    blocker = next((parent for parent in output.parents if parent.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise DatasetError(f"{output}: cannot create the output folder, {blocker} is a file")
    if output.resolve() == input_folder.resolve():
        raise DatasetError(f"{output}: refusing to write masks into the input folder")


def make_output(output: Path) -> None:
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetError(f"{output}: cannot create the output folder ({exc.strerror or exc})") from exc


def run(args: argparse.Namespace) -> int:
    check_output(args.output, args.input)
    scan = scan_images(args.input)
    paths = scan.images
    failures = FailureLog()
    for path, reason in scan.unreadable:
        failures.add(path, reason)
    if not paths:
        print(f"meddisseg predict: no readable images (jpg, png, bmp, tif) in {args.input}", file=sys.stderr)
        return 1
    make_output(args.output)
    predictor = build_predictor(args)
    names = _output_names(paths)
    written = 0
    with progress(len(paths), "predict") as bar:
        for chunk in batched(paths, args.batch_size):
            images, readable = [], []
            for path in chunk:
                try:
                    images.append(read_image(path, max_pixels=args.max_pixels))
                    readable.append(path)
                except MedDisSegError as exc:
                    failures.add(path, exc)
            results = []
            if images:
                try:
                    results = _predict_chunk(predictor, images, readable, failures)
                except (MedDisSegError, RuntimeError, ValueError) as exc:
                    failures.add(readable[0], f"prediction failed: {exc}")
            for path, prediction in results:
                try:
                    write_mask_png(args.output / names[path], prediction.probability > args.threshold)
                    written += 1
                except (OSError, ValueError) as exc:
                    failures.add(path, f"cannot write mask: {exc}")
            bar.update(len(chunk))
    summary = {
        "written": written,
        "output": str(args.output),
        "failed": failures.entries,
        "device": predictor.device_report.describe(),
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    print(f"wrote {written} mask(s) to {args.output}; {len(failures)} failed", file=sys.stderr)
    # As import and export: 1 when some input was bad (each one is listed), even if the rest was written.
    return 0 if written and not failures else 1
