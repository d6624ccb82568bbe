"""``meddisseg models``: the model registry from the command line.

meddisseg models list [--json]
meddisseg models pull NAME|URL          (NAME: authors-stage2, authors-stage1)
meddisseg models import FILE [--name N] [--parent ID]
meddisseg models use ID [--folder DIR]  (without --folder: the default for every folder)
meddisseg models remove ID [--force]
meddisseg models train-job | finish-job | estimate   (fine-tuning jobs: models_jobs.py)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from meddisseg_core.config import to_dict


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    from meddisseg_core.cli import models_jobs

    parser = subparsers.add_parser(
        "models",
        help="list, download, import and choose models",
        description="The model registry: list, download, import, choose and remove models; fine-tuning jobs.",
    )
    commands = parser.add_subparsers(dest="models_command", required=True)

    listing = commands.add_parser("list", help="every registered model: id, name, source, sha256")
    listing.add_argument("--json", action="store_true", help="one JSON document with the full records")
    listing.set_defaults(func=run_list)

    pull = commands.add_parser("pull", help="download a model (authors-stage2, authors-stage1, or a URL)")
    pull.add_argument("name", help="authors-stage2, authors-stage1, or an http(s) URL")
    pull.set_defaults(func=run_pull)

    imp = commands.add_parser("import", help="add a .safetensors or authors' .pth file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--name", default="", help="human name (default: from the file)")
    imp.add_argument("--parent", default="", help="id of the model it was fine-tuned from")
    imp.set_defaults(func=run_import)

    use = commands.add_parser("use", help="make a model current")
    use.add_argument("id")
    use.add_argument("--folder", type=Path, help="image folder (default: the default for all folders)")
    use.set_defaults(func=run_use)

    remove = commands.add_parser("remove", help="remove a model and its file")
    remove.add_argument("id")
    remove.add_argument("--force", action="store_true", help="even if it is current somewhere")
    remove.set_defaults(func=run_remove)

    models_jobs.add_parsers(commands)
    return parser


def open_registry() -> Any:
    from meddisseg_core.inference.model_location import default_model_path
    from meddisseg_core.models import ModelRegistry

    registry = ModelRegistry()
    if registry.notice:
        print(f"meddisseg models: warning: {registry.notice}", file=sys.stderr)
    registry.sync_shipped(default_model_path())
    return registry


def run_list(args: argparse.Namespace) -> int:
    registry = open_registry()
    records = registry.records()
    if args.json:
        document = {
            "registry": str(registry.path),
            "default": registry.default_id,
            "models": [{**to_dict(r), "path": str(registry.path_of(r))} for r in records],
        }
        print(json.dumps(document, indent=1))
        return 0
    if not records:
        print(f"no models yet (registry: {registry.path}); try `meddisseg models pull authors-stage2`")
        return 0
    width = max(len(r.id) for r in records)
    print(f"  {'id':<{width}}  {'source':<10}  {'sha256':<64}  name")
    for r in records:
        mark = "*" if r.id == registry.default_id else " "
        problem = registry.problem(r)
        note = f"  [{problem}]" if problem else ""
        print(f"{mark} {r.id:<{width}}  {r.source:<10}  {r.sha256}  {r.name}{note}")
    print(f"(* = default; registry: {registry.path})")
    return 0


def _progress_printer() -> Any:
    def show(progress: Any) -> None:
        total = f"{progress.total / 1e6:.1f}" if progress.total else "?"
        line = f"\r{progress.done / 1e6:.1f} / {total} MB at {progress.bytes_per_s / 1e6:.1f} MB/s"
        print(line, end="", file=sys.stderr, flush=True)

    return show


def run_pull(args: argparse.Namespace) -> int:
    from meddisseg_core.models.download import pull

    registry = open_registry()
    interactive = sys.stderr.isatty()
    result = pull(args.name, registry, progress=_progress_printer() if interactive else None)
    if interactive:
        print(file=sys.stderr)
    if result.warning:
        print(f"meddisseg models: warning: {result.warning}", file=sys.stderr)
    record = result.record
    print(f"{record.id}  {record.source}  {record.sha256}  {record.name}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    registry = open_registry()
    source = "fine-tuned" if args.parent else "imported"
    if args.parent:
        registry.get(args.parent)  # a parent must be known, or the lineage would be a dead link
    record = registry.add_file(args.file, source=source, name=args.name, parent=args.parent)
    print(f"{record.id}  {record.source}  {record.sha256}  {record.name}")
    return 0


def run_use(args: argparse.Namespace) -> int:
    registry = open_registry()
    registry.set_current(args.folder, args.id)
    where = f"for {args.folder}" if args.folder else "as the default"
    print(f"{args.id} is now current {where}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    registry = open_registry()
    record = registry.remove(args.id, force=args.force)
    print(f"removed {record.id} ({record.name})")
    return 0
