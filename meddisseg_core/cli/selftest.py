"""``meddisseg selftest``: the installation check (see :mod:`meddisseg_core.selftest`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from meddisseg_core.selftest import overall, run_selftest


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "selftest",
        help="check this installation: libraries, compute device, model, one prediction",
        description="Check this installation offline: libraries, compute device, model, one prediction.",
    )
    parser.add_argument("--weights", type=Path, default=None, help="model file (default: the shipped one)")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (default: auto)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of lines")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    checks = run_selftest(args.weights, args.device)
    result = overall(checks)
    if args.json:
        print(json.dumps({"result": result, "checks": [c.__dict__ for c in checks]}))
    else:
        for check in checks:
            print(f"{check.status:<4}  {check.name:<10}  {check.detail}")
        print(f"self-test: {result}")
    return 0 if result == "OK" else 1
