"""Entry point of the ``meddisseg`` command.

Each subcommand lives in its own module exposing ``add_parser(subparsers)``, which registers
the parser and sets ``func`` (taking the parsed namespace, returning an exit code).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from meddisseg_core import __version__
from meddisseg_core.errors import MedDisSegError

SUBCOMMANDS = ("predict", "evaluate", "train", "selftest", "export-onnx", "models")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meddisseg", description="Med-DisSeg segmentation tools.")
    parser.add_argument("--version", action="version", version=f"meddisseg {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"meddisseg_core.cli.{name.replace('-', '_')}")
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except MedDisSegError as exc:
        # Deliberate errors carry a message that names the offending value: no traceback.
        print(f"meddisseg {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"meddisseg {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
