"""install.sh shows what it is doing: a line per step and a short line per package from pip, not
minutes of silence (it used to run pip with --quiet)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from install_stubs import run_install

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="install.sh is a bash script")


def test_pip_steps_print_progress_lines(tmp_path: Path) -> None:
    result, _calls = run_install(tmp_path, "--dev", env={"TORCH_WHEEL": str(tmp_path / "torch.whl")})

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("== install: torch from") for line in lines), lines
    assert any(line.startswith("== install: meddisseg-studio[app,dev]") for line in lines), lines
    assert "   pip: Collecting numpy" in lines
    assert "   pip: Downloading numpy-2.whl (16 MB)" in lines
    assert "   pip: Successfully installed numpy-2" in lines
