"""Headless ``meddisseg-studio export|import``: the app's exports and imports for scripts.

Reached through a small hook at the top of ``meddisseg_studio.main`` before anything imports
Qt, so it runs on servers without a display. Never imports Qt (import-linter contract). Uses the
same code as the app: the FORMATS registry for exports, :mod:`meddisseg_studio.imports` and the
project state API for imports.

Exit codes: 0 done; 1 done, but some input was bad (each bad file is listed); 2 nothing done
(bad arguments, unreadable project or source, export refused).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from meddisseg_studio import __version__

COMMANDS = frozenset({"export", "import"})


def build_parser() -> argparse.ArgumentParser:
    from meddisseg_studio.headless import export_command, import_command

    parser = argparse.ArgumentParser(
        prog="meddisseg-studio", description="Export or import a project's masks without the GUI."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    export_command.add_parser(subparsers)
    import_command.add_parser(subparsers)
    return parser


def main(argv: Sequence[str]) -> int:
    """Run ``argv`` (starting with ``export`` or ``import``); returns the exit code."""
    from meddisseg_core.errors import MedDisSegError

    args = build_parser().parse_args(list(argv))
    try:
        return int(args.func(args))
    except MedDisSegError as exc:
        print(f"meddisseg-studio {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file that vanished or cannot be written: a message, not a traceback
        print(f"meddisseg-studio {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"meddisseg-studio {args.command}: interrupted", file=sys.stderr)
        return 130
