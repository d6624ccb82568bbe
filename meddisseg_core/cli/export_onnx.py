"""``meddisseg export-onnx``: the inference path as an ONNX model, plus an X-AnyLabeling config.

The contract of the exported model (fixed size, RGB / 255 input, [1, 2, H, W] output) is in
:mod:`meddisseg_core.onnx_export`. After writing, the model is run in ONNX Runtime on a few
inputs and compared with PyTorch, when onnxruntime is installed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

from meddisseg_core.errors import CheckpointError

# Largest |Δ probability| accepted between ONNX Runtime and PyTorch (float32 reassociation).
TOLERANCE = 1e-4


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export-onnx",
        help="export the model to ONNX (for ONNX Runtime, X-AnyLabeling, ...)",
        description=(
            "Export the inference path of --weights to an ONNX model with a fixed input of the "
            "weights' size (RGB, float32 [1,3,H,W], pixel/255) and output [1,2,H,W] "
            "(background, lesion probabilities). Writes <out>.yaml for X-AnyLabeling beside it."
        ),
    )
    parser.add_argument(
        "--weights",
        type=Path,
        default=None,
        help="model file (.safetensors or the authors' .pth); default: the shipped default model",
    )
    parser.add_argument("--out", type=Path, required=True, help="the .onnx file to write")
    parser.add_argument("--label", default="lesion", help="name of the foreground class (default: lesion)")
    parser.add_argument(
        "--exporter",
        choices=("dynamo", "torchscript"),
        default="torchscript",
        help="PyTorch's ONNX exporter (default: torchscript; dynamo also needs onnxscript)",
    )
    parser.add_argument("--no-verify", action="store_true", help="skip the ONNX Runtime comparison")
    parser.set_defaults(func=run)
    return parser


def _weights_path(path: Path | None) -> Path:
    if path is not None:
        return path
    from meddisseg_core.inference import default_model_path

    found = default_model_path()
    if found is None:
        raise CheckpointError("no weights given and no default model is installed; pass --weights")
    return found


def run(args: argparse.Namespace) -> int:
    from meddisseg_core.checkpoint import load_model
    from meddisseg_core.onnx_export import OnnxExportError, export_onnx, max_difference, onnx_session

    if args.out.exists() and args.out.is_dir():
        print(f"meddisseg export-onnx: {args.out} is a folder; give a .onnx file name", file=sys.stderr)
        return 2
    loaded = load_model(_weights_path(args.weights), map_location="cpu")
    result = export_onnx(loaded, args.out, label=args.label, exporter=args.exporter)
    size = "x".join(str(s) for s in loaded.metadata.input.size)
    print(f"wrote {result.model_path} (input RGB 1x3x{size}, pixel/255; output background, {args.label})")
    print(f"wrote {result.config_path} (X-AnyLabeling custom model config)")
    if args.no_verify:
        return 0
    try:
        session = onnx_session(result.model_path)
    except OnnxExportError as exc:  # onnxruntime missing: the export itself succeeded
        print(f"not verified: {exc}", file=sys.stderr)
        return 0
    rng = np.random.default_rng(0)
    height, width = loaded.metadata.input.size
    images = [rng.integers(0, 256, (height + 37, width - 21, 3), dtype=np.uint8) for _ in range(2)]
    worst = max_difference(loaded, session, images)
    verdict = "ok" if worst <= TOLERANCE else f"ABOVE the tolerance {TOLERANCE:g}"
    print(f"verified with onnxruntime: max |Δ probability| = {worst:.2e} ({verdict})")
    return 0 if worst <= TOLERANCE else 1
