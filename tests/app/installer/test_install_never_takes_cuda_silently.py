"""When PyTorch's CPU index cannot be reached, install.sh says so and what to do, and stops: it never
falls back to a plain ``torch==2.13.0`` (PyPI's 2.7 GB CUDA build) unless TORCH_INDEX=pypi asks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from install_stubs import run_install

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="install.sh is a bash script")


def test_unreachable_cpu_index_stops_with_advice(tmp_path: Path) -> None:
    result, calls = run_install(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    torch_calls = [c for c in calls if "pip install" in c and "torch==" in c]
    assert not [c for c in torch_calls if "torch==2.13.0 " in c + " " and "--index-url" not in c], torch_calls
    assert any("torch==2.13.0+cpu" in c for c in torch_calls)  # the safe fallback was tried
    assert "cannot be reached" in result.stderr
    assert "TORCH_INDEX=" in result.stderr and "TORCH_WHEEL=" in result.stderr
    assert "NewConnectionError" in result.stderr  # the end of pip's own output, for the curious


def test_pypi_build_only_when_asked(tmp_path: Path) -> None:
    result, calls = run_install(tmp_path, env={"TORCH_INDEX": "pypi"})

    assert result.returncode == 0, result.stdout + result.stderr
    assert any(c.endswith("torch==2.13.0") for c in calls), calls
    assert "CUDA build" in result.stdout
