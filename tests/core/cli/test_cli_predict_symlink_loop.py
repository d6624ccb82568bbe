"""predict reports a symlink loop among the input images (it is not "0 failed") and does the rest."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from meddisseg_core import imageio
from meddisseg_core.imageio import write_mask_png

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX symlinks")


def test_scan_names_the_loop_and_lists_the_rest(tmp_path: Path) -> None:
    write_mask_png(tmp_path / "a.png", np.eye(8, dtype=np.uint8))
    os.symlink("loop.jpg", tmp_path / "loop.jpg")
    os.symlink("nowhere.png", tmp_path / "gone.png")
    scan = imageio.scan_images(tmp_path)
    assert [p.name for p in scan.images] == ["a.png"]
    reasons = {path.name: reason for path, reason in scan.unreadable}
    assert set(reasons) == {"gone.png", "loop.jpg"}
    assert "symbolic link loop" in reasons["loop.jpg"]
    assert "broken symbolic link" in reasons["gone.png"]
    assert imageio.list_images(tmp_path) == scan.images


def test_predict_reports_the_loop(
    run_cli: Callable[[list[str]], int],
    tiny_weights: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    images = tmp_path / "in"
    images.mkdir()
    rng = np.random.default_rng(0)
    write_mask_png(images / "a.png", rng.integers(0, 2, (40, 48)).astype(np.uint8))
    os.symlink("loop.jpg", images / "loop.jpg")
    out = tmp_path / "out"
    argv = ["predict", "--weights", str(tiny_weights), "--input", str(images), "--output", str(out)]
    code = run_cli([*argv, "--device", "cpu", "--json"])
    captured = capsys.readouterr()
    assert code == 1  # some input failed (listed), the rest written
    summary = json.loads(captured.out)
    assert summary["written"] == 1
    assert [Path(f["file"]).name for f in summary["failed"]] == ["loop.jpg"]
    assert "symbolic link loop" in summary["failed"][0]["error"]
    assert "1 failed" in captured.err and "loop.jpg" in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["a.png"]
