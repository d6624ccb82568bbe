"""meddisseg predict: output names per stem, clashes kept apart, never into the input folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from meddisseg_core.cli.predict import _output_names


def test_stem_clash_keeps_both_masks(tmp_path: Path) -> None:
    names = _output_names([tmp_path / "a.jpg", tmp_path / "a.PNG", tmp_path / "b.tif"])
    assert list(names.values()) == ["a.png", "a.PNG.png", "b.png"]


def test_refuses_to_write_into_the_input_folder(
    run_cli: Callable[[list[str]], int],
    tiny_weights: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cv2.imwrite(str(tmp_path / "x.png"), np.zeros((20, 20, 3), np.uint8))
    argv = ["predict", "--weights", str(tiny_weights), "--input", str(tmp_path), "--output", str(tmp_path)]
    assert run_cli(argv) == 2
    assert "input folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.png"]
