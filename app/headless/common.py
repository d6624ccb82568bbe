"""What both headless commands share: opening the project, printing results."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from meddisseg_studio.state.project import Project


def add_project_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, help="the project folder (the images the app opens)")
    parser.add_argument(
        "--state-dir", type=Path, default=None, help="the state folder (default: FOLDER/.meddisseg-studio)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def open_project(args: argparse.Namespace) -> Project:
    return Project.open(args.folder, args.state_dir)


def emit(args: argparse.Namespace, summary: str, details: list[str], document: dict) -> None:
    """The summary on stdout and one line per detail on stderr, or the JSON document."""
    if args.json:
        print(json.dumps(document, ensure_ascii=False))
        return
    print(summary)
    for line in details:
        print(f"  {line}", file=sys.stderr)
