"""The app starts `meddisseg` jobs with this interpreter, or with the bundle's own `meddisseg` program."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from meddisseg_core import frozen
from meddisseg_core.train.client import TrainingProcess


def test_source_install_runs_the_module_with_this_interpreter() -> None:
    assert frozen.cli_command(frozen=False) == [sys.executable, "-m", "meddisseg_core"]


def test_frozen_bundle_runs_the_program_beside_its_own(tmp_path: Path) -> None:
    studio = tmp_path / "meddisseg-studio" / "meddisseg-studio"
    assert frozen.cli_command(frozen=True, executable=str(studio)) == [
        str(tmp_path / "meddisseg-studio" / "meddisseg")
    ]


def test_training_job_uses_the_bundled_program_when_frozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "opt" / "meddisseg-studio"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle / "meddisseg-studio"))
    job = TrainingProcess(["--stage", "1"], tmp_path / "run")
    assert job.command[:3] == [str(bundle / "meddisseg"), "train", "--stage"]
    explicit = TrainingProcess([], tmp_path / "run", python="/usr/bin/python3")
    assert explicit.command[:4] == ["/usr/bin/python3", "-m", "meddisseg_core", "train"]
