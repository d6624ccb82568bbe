"""``meddisseg-studio export FOLDER --format NAME --out DEST [--status S,...]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from meddisseg_studio.export.common import DEFAULT_MIN_LESION_AREA, ExportError, ExportOptions
from meddisseg_studio.export.formats import FORMATS, ExportFormat, get_format
from meddisseg_studio.headless.common import add_project_arguments, emit, open_to_read
from meddisseg_studio.state.model import ReviewStatus


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    names = [f.name for f in FORMATS]
    parser = subparsers.add_parser(
        "export",
        help="export the project's masks",
        description="Export a project as the app does. Formats: "
        + "; ".join(f"{f.name}: {f.description}" for f in FORMATS),
    )
    add_project_arguments(parser)
    parser.add_argument("--format", required=True, choices=names, help="what to write")
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the file or folder to create (must not exist); an existing folder gets the "
        "format's default name inside it",
    )
    parser.add_argument(
        "--status",
        default=None,
        help="comma-separated review statuses to export, or 'all' (default: approved; the csv format: all)",
    )
    parser.add_argument(
        "--min-area",
        type=int,
        default=DEFAULT_MIN_LESION_AREA,
        help="smallest lesion in pixels, for COCO annotations and lesion counts "
        f"(default: {DEFAULT_MIN_LESION_AREA})",
    )
    parser.add_argument("--label", default="lesion", help="class name in COCO and labelme (default: lesion)")
    parser.add_argument("--val-fraction", type=float, default=0.2, help="authors: share in val.txt (0.2)")
    parser.add_argument("--seed", type=int, default=0, help="authors: seed of the train/val split (0)")
    parser.set_defaults(func=run)
    return parser


def parse_statuses(text: str | None, fmt: ExportFormat) -> tuple[ReviewStatus, ...] | None:
    """``"approved,edited"`` -> statuses; ``"all"`` -> None; None -> the format's default."""
    if text is None:
        return fmt.default_statuses
    if text.strip().lower() == "all":
        return None
    statuses = []
    for part in (p.strip() for p in text.split(",")):
        try:
            statuses.append(ReviewStatus(part))
        except ValueError:
            known = ", ".join(s.value for s in ReviewStatus)
            raise ExportError(f"unknown status {part!r}; known: {known}, or all") from None
    return tuple(statuses)


def destination(out: Path, fmt: ExportFormat) -> Path:
    return out / fmt.default_name if out.is_dir() else out


def run(args: argparse.Namespace) -> int:
    fmt = get_format(args.format)
    statuses = parse_statuses(args.status, fmt)
    options = ExportOptions(
        min_lesion_area=args.min_area, label=args.label, val_fraction=args.val_fraction, seed=args.seed
    )
    project, note = open_to_read(args)
    try:
        result = fmt.run(
            project,
            destination(args.out, fmt),
            statuses=statuses,
            options=options,
            progress=None,
            should_cancel=None,
        )
    finally:
        project.close()
    document = {
        "format": result.format,
        "dest": str(result.dest),
        "written": [str(p) for p in result.written],
        "skipped": [{"key": k, "reason": r} for k, r in result.skipped],
        "renamed": [{"key": r.key, "name": r.name, "reason": r.reason} for r in result.renamed],
        "note": note,
    }
    emit(args, result.summary(), ([note] if note else []) + result.details(), document)
    return 1 if result.skipped else 0  # like import: done, but some input was bad (each one listed)
