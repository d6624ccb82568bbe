"""`meddisseg-studio --self-test` checks the installation and exits non-zero on any failure."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from meddisseg_studio import selftest
from meddisseg_studio.main import main

EXPECTED = (
    "versions",
    "libraries",
    "device",
    "cuda",
    "model",
    "precision",
    "prompts",
    "prediction",
    "mask",
    "display",
    "window",
)


def _lines(text: str) -> dict[str, str]:
    rows = [line.split(None, 2) for line in text.splitlines() if not line.startswith("self-test:")]
    return {row[1]: row[0] for row in rows}


def test_every_check_runs_and_passes(qtbot, user_home: Path) -> None:
    out = io.StringIO()
    assert selftest.run_self_test(out=out) == 0, out.getvalue()
    statuses = _lines(out.getvalue())
    assert tuple(statuses) == EXPECTED  # printed in this order
    assert statuses["mask"] == "OK" and statuses["window"] == "OK" and statuses["prediction"] == "OK"
    assert out.getvalue().rstrip().endswith("self-test: OK")
    assert "torch 2." in out.getvalue() and "PySide6" in out.getvalue()


def test_a_failing_check_makes_the_exit_status_non_zero(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_round_trip(image: object, prediction: object) -> tuple[str, str]:
        raise OSError("read-only file system")

    monkeypatch.setattr(selftest, "mask_round_trip", broken_round_trip)
    out = io.StringIO()
    assert selftest.run_self_test(out=out) == 1
    assert "FAIL  mask        OSError: read-only file system" in out.getvalue()
    assert out.getvalue().rstrip().endswith("self-test: FAIL")


def test_main_dispatches_the_flag(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    monkeypatch.setattr(selftest, "run_self_test", lambda weights=None, out=None: seen.append(weights) or 7)
    assert main(["--self-test", "--checkpoint", "model.safetensors"]) == 7
    assert seen == [Path("model.safetensors")]


@pytest.mark.slow
def test_self_test_as_a_program_without_display(tmp_path: Path) -> None:
    """The installed entry point, in a fresh process, with no DISPLAY: torch first, then Qt offscreen."""
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY"}}
    env["MEDDISSEG_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "meddisseg_studio", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK    window" in result.stdout and "self-test: OK" in result.stdout
