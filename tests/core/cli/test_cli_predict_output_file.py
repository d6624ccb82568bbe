"""predict --output naming an existing file fails at once with exit 2, before the model runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from meddisseg_core.cli import predict as predict_module
from meddisseg_core.imageio import write_mask_png


def _never(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the model was loaded although --output is unusable")


def test_output_that_is_a_file_is_refused_before_any_work(
    run_cli: Callable[[list[str]], int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    images = tmp_path / "in"
    images.mkdir()
    write_mask_png(images / "a.png", np.eye(8, dtype=np.uint8))  # any small PNG will do
    target = tmp_path / "results.csv"
    target.write_text("precious\n")
    monkeypatch.setattr(predict_module, "build_predictor", _never)
    argv = ["predict", "--weights", str(tmp_path / "w.safetensors"), "--input", str(images)]
    code = run_cli([*argv, "--output", str(target)])
    err = capsys.readouterr().err
    assert code == 2
    assert str(target) in err and "not a folder" in err
    assert target.read_text() == "precious\n"


def test_output_under_a_file_is_refused_too(
    run_cli: Callable[[list[str]], int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    images = tmp_path / "in"
    images.mkdir()
    write_mask_png(images / "a.png", np.eye(8, dtype=np.uint8))  # any small PNG will do
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setattr(predict_module, "build_predictor", _never)
    argv = ["predict", "--weights", "w.safetensors", "--input", str(images)]
    assert run_cli([*argv, "--output", str(blocker / "masks")]) == 2
    assert str(blocker / "masks") in capsys.readouterr().err
