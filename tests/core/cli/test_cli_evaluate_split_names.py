"""evaluate split lines are plain names inside the dataset, by the same rule as train's split files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from meddisseg_core.cli import evaluate as evaluate_module
from meddisseg_core.imageio import write_mask_png


def _never(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the model was loaded for a split file that names files outside the dataset")


@pytest.fixture
def leaky_layout(tmp_path: Path) -> Path:
    """A dataset beside a 'secret' image and mask that a split file tries to reach."""
    mask = np.zeros((16, 16), np.uint8)
    mask[4:12, 4:12] = 1
    for folder in ("data/images", "data/masks", "secret"):
        write_mask_png(tmp_path / folder / "ok.png", mask)  # PNG is a valid image too
    write_mask_png(tmp_path / "secret" / "leak.jpg", mask)
    return tmp_path / "data"


@pytest.mark.parametrize("kind", ["relative", "absolute", "backslash"])
def test_split_line_outside_the_dataset_is_refused(
    run_cli: Callable[[list[str]], int],
    leaky_layout: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
) -> None:
    secret = leaky_layout.parent / "secret" / "leak.jpg"
    line = {
        "relative": "../../secret/leak.jpg",
        "absolute": str(secret),
        "backslash": "..\\..\\secret\\leak.jpg",
    }[kind]
    (leaky_layout / "val.txt").write_text(f"ok.png\n{line}\n")
    monkeypatch.setattr(evaluate_module, "build_predictor", _never)
    argv = ["evaluate", "--weights", "w.safetensors", "--data", str(leaky_layout), "--split", "val.txt"]
    code = run_cli(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert "val.txt:2" in err  # the file and line, as train says it
    assert "plain file name inside images/" in err
