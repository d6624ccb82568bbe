"""meddisseg predict exits 1 when some inputs failed (as the app's import and export do), not 0 with
"8 failed"; and a name with a line break is written under a safe name, as the exports write it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_core.cli.predict import _output_names


def test_some_failed_exits_1(
    run_cli: Callable[[list[str]], int],
    tiny_weights: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    images = tmp_path / "in"
    images.mkdir()
    cv2.imwrite(str(images / "good.png"), np.full((32, 32, 3), 100, np.uint8))
    (images / "bad.jpg").write_bytes(b"\xff\xd8\xff not a jpeg")
    out = tmp_path / "out"
    argv = ["predict", "--weights", str(tiny_weights), "--input", str(images), "--output", str(out)]
    code = run_cli([*argv, "--device", "cpu", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert summary["written"] == 1 and len(summary["failed"]) == 1
    assert code == 1
    assert [p.name for p in out.iterdir()] == ["good.png"]  # the rest was still written


def test_names_with_a_line_break_are_renamed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = _output_names([tmp_path / "a\nb.jpg", tmp_path / "a_b.png", tmp_path / "c.png"])
    assert list(names.values()) == ["a_b.png", "a_b.png.png", "c.png"]  # the stem clash rule as before
    assert all("\n" not in name for name in names.values())
    assert "line break" in capsys.readouterr().err
