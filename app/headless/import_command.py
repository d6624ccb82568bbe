"""``meddisseg-studio import FOLDER --from {masks,coco,labelme} SRC [--as proposed|approved]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from meddisseg_studio.headless.common import add_project_arguments, emit, open_project
from meddisseg_studio.imports import SOURCES, ImportAs, import_coco, import_labelme, import_masks
from meddisseg_studio.imports.common import ImportReport
from meddisseg_studio.state.project import Project


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "import",
        help="import masks into the project",
        description="Import masks into a project. Images already edited, approved or rejected are "
        "skipped (and listed) unless --force; bad files are listed and the rest is imported.",
    )
    add_project_arguments(parser)
    parser.add_argument(
        "--from", dest="source_format", required=True, choices=SOURCES, help="the kind of SRC"
    )
    parser.add_argument(
        "source", type=Path, help="masks: a folder of mask images; coco: a JSON file; labelme: file or folder"
    )
    parser.add_argument(
        "--as",
        dest="as_status",
        choices=[a.value for a in ImportAs],
        default=ImportAs.PROPOSED.value,
        help="proposed (to review, the default) or approved",
    )
    parser.add_argument(
        "--force", action="store_true", help="also replace edited, approved or rejected masks"
    )
    parser.add_argument(
        "--category",
        action="append",
        default=None,
        help="coco: import only this category (repeatable; default: all); labelme: only this label",
    )
    parser.set_defaults(func=run)
    return parser


def _import(project: Project, args: argparse.Namespace) -> ImportReport:
    common = {"as_status": ImportAs(args.as_status), "force": args.force}
    if args.source_format == "coco":
        return import_coco(project, args.source, categories=args.category, **common)
    if args.source_format == "labelme":
        return import_labelme(project, args.source, labels=args.category, **common)
    return import_masks(project, args.source, **common)


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    try:
        report = _import(project, args)
    finally:
        project.close()
    document = {
        "source": report.source,
        "imported": report.imported,
        "skipped": [{"key": k, "reason": r} for k, r in report.skipped],
        "failed": [{"item": i, "reason": r} for i, r in report.failed],
        "notes": report.notes,
    }
    emit(args, report.summary(), report.details(), document)
    return 1 if report.failed else 0
