"""What both headless commands share: opening the project, printing results."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from meddisseg_studio.state.errors import StateLeasedError
from meddisseg_studio.state.project import Project


def add_project_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, help="the project folder (the images the app opens)")
    parser.add_argument(
        "--state-dir", type=Path, default=None, help="the state folder (default: FOLDER/.meddisseg-studio)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument(
        "--take-over-stale",
        action="store_true",
        help="take the folder over from a copy that seems to have stopped (crashed); never from a live one",
    )


def open_project(args: argparse.Namespace) -> Project:
    """Open for writing: takes the folder's lease, so it is refused (exit 2, naming the holder)
    while the app or another command has the folder open."""
    return Project.open(args.folder, args.state_dir, take_over="stale" if args.take_over_stale else None)


def open_to_read(args: argparse.Namespace) -> tuple[Project, str | None]:
    """Open for an export: for writing when free (so the export is recorded in the folder's
    history), else read-only beside the copy that holds the folder. Returns the project and, when
    read-only, the note that says so; an export changes nothing in the folder, so a live holder
    never stops it (a stale one is taken over only with ``--take-over-stale``, as for import)."""
    try:
        return open_project(args), None
    except StateLeasedError as exc:
        project = Project.open(args.folder, args.state_dir, read_only=True)
        return project, f"{exc}: exported read-only, so this export is not in the folder's history"


def emit(args: argparse.Namespace, summary: str, details: list[str], document: dict) -> None:
    """The summary on stdout and one line per detail on stderr, or the JSON document."""
    if args.json:
        print(json.dumps(document, ensure_ascii=False))
        return
    print(summary)
    for line in details:
        print(f"  {line}", file=sys.stderr)
