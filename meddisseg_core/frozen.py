"""How to start the ``meddisseg`` CLI as a child process, from a source/pip install or a frozen bundle.

In a pip install the CLI is ``python -m meddisseg_core``. In a PyInstaller bundle ``sys.executable``
is the bundle's own program (``meddisseg-studio``), which cannot run ``-m``; the bundle ships the CLI
as a second program, ``meddisseg``, next to it (packaging/meddisseg.spec), and that is what runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CLI_PROGRAM = "meddisseg"


def is_frozen() -> bool:
    """True inside a PyInstaller (or similar) bundle."""
    return bool(getattr(sys, "frozen", False))


def bundled_cli(executable: str | None = None) -> Path:
    """The bundle's ``meddisseg`` program: it sits beside the running program."""
    suffix = ".exe" if os.name == "nt" else ""
    return Path(executable or sys.executable).resolve().with_name(CLI_PROGRAM + suffix)


def cli_command(*, frozen: bool | None = None, executable: str | None = None) -> list[str]:
    """The argv prefix that runs the ``meddisseg`` CLI (append the subcommand and its arguments)."""
    if is_frozen() if frozen is None else frozen:
        return [str(bundled_cli(executable))]
    return [executable or sys.executable, "-m", "meddisseg_core"]
