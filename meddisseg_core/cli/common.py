"""Helpers shared by the ``predict`` and ``evaluate`` subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from tqdm import tqdm

from meddisseg_core.imageio import DEFAULT_MAX_PIXELS
from meddisseg_core.inference import Predictor
from meddisseg_core.inference.precision import PRECISIONS

T = TypeVar("T")


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    """--weights, --device, --tta, --precision, --batch-size, --max-pixels."""
    parser.add_argument(
        "--weights",
        type=Path,
        default=None,
        help="model file (.safetensors or the authors' .pth); default: the shipped default model",
    )
    parser.add_argument(
        "--device", default="auto", help="auto (GPU if usable, else CPU), cpu, cuda or cuda:N (default: auto)"
    )
    parser.add_argument("--tta", action="store_true", help="average identity, horizontal and vertical flips")
    parser.add_argument(
        "--precision",
        choices=PRECISIONS,
        default="auto",
        help="numeric precision (default: auto = what was measured fastest with the same masks on this "
        "CPU or GPU; `meddisseg selftest` says which; MEDDISSEG_PRECISION=fp32 also forces fp32)",
    )
    parser.add_argument(
        "--batch-size", type=positive_int, default=4, help="images per network batch (default: 4)"
    )
    parser.add_argument(
        "--max-pixels",
        type=positive_int,
        default=DEFAULT_MAX_PIXELS,
        help=f"refuse images with more pixels than this (default: {DEFAULT_MAX_PIXELS:,})",
    )


def positive_int(text: str) -> int:
    """argparse type: an integer ≥ 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def build_predictor(args: argparse.Namespace) -> Predictor:
    """The Predictor the model arguments describe; says on stderr which device it runs on."""
    predictor = Predictor.from_path(args.weights, device=args.device, tta=args.tta, precision=args.precision)
    print(f"device: {predictor.describe()}", file=sys.stderr)
    return predictor


def progress(total: int, description: str) -> tqdm:
    """A progress bar on stderr, shown only when stderr is a terminal (quiet in logs and pipes)."""
    return tqdm(total=total, desc=description, unit="img", file=sys.stderr, disable=not sys.stderr.isatty())


def batched(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of ``items`` of at most ``size`` elements."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class FailureLog:
    """Files that could not be processed, with why; each is reported on stderr as it happens."""

    entries: list[dict[str, str]] = field(default_factory=list)

    def add(self, path: Path | str, error: BaseException | str) -> None:
        message = str(error)
        # Library errors already start with the path; say it once.
        message = message.removeprefix(f"{path}: ")
        self.entries.append({"file": str(path), "error": message})
        # tqdm.write keeps an active progress bar intact.
        tqdm.write(f"skipped {path}: {message}", file=sys.stderr)

    def __len__(self) -> int:
        return len(self.entries)
