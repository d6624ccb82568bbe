"""Run scripts/install.sh against stand-ins: a fake venv python that records its pip calls and
answers as scripted, and a dpkg-query that says every system package is installed (no apt runs)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# Each pip call is logged; the answers: PyTorch's CPU index unreachable, no local +cpu wheel,
# and a plain "torch==2.13.0" (which would be PyPI's CUDA build) that succeeds.
FAKE_PYTHON = """#!/bin/sh
echo "$*" >>"$CALLS"
case "$*" in
  *"import torch, PySide6"*) echo "== install: done"; exit 0 ;;
  *"import torch"*) exit 1 ;;
  *download.pytorch.org*) echo "WARNING: Retrying after connection broken: NewConnectionError"
     echo "ERROR: Could not find a version that satisfies the requirement torch==2.13.0"; exit 1 ;;
  *"torch==2.13.0+cpu"*) echo "ERROR: No matching distribution found for torch==2.13.0+cpu"; exit 1 ;;
  *"torch==2.13.0"*) echo "Collecting torch==2.13.0"; echo "Downloading nvidia_cublas.whl (600 MB)"
     exit 0 ;;
  *) echo "Collecting numpy"; echo "Downloading numpy-2.whl (16 MB)"
     echo "Installing collected packages: numpy"; echo "Successfully installed numpy-2"; exit 0 ;;
esac
"""


def run_install(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess, list[str]]:
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "install.sh", checkout / "scripts" / "install.sh")
    venv_bin = tmp_path / "venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").write_text(FAKE_PYTHON)
    (venv_bin / "python").chmod(0o755)
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    (stubs / "dpkg-query").write_text("#!/bin/sh\necho 'install ok installed'\n")
    (stubs / "dpkg-query").chmod(0o755)
    calls = tmp_path / "calls.txt"
    calls.touch()
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TORCH_", "PIP_"))},
        "PATH": f"{stubs}{os.pathsep}{os.environ['PATH']}",
        "VENV": str(tmp_path / "venv"),
        "CALLS": str(calls),
        "TMPDIR": str(tmp_path),
        **(env or {}),
    }
    result = subprocess.run(
        ["bash", str(checkout / "scripts" / "install.sh"), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result, calls.read_text().splitlines()
