"""meddisseg predict: masks at original size for every readable image; a corrupt one is reported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from meddisseg_core.checkpoint import load_model
from meddisseg_core.imageio import read_image, read_mask
from meddisseg_core.inference import Predictor

BROKEN = "broken.jpg"  # made by the kvasir_sample fixture
N_IMAGES = 3


def test_predict_writes_masks_and_reports_the_corrupt_file(
    run_cli: Callable[[list[str]], int],
    tiny_weights: Path,
    kvasir_sample: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "masks_out"
    argv = ["predict", "--weights", str(tiny_weights), "--input", str(kvasir_sample / "images")]
    code = run_cli([*argv, "--output", str(out), "--device", "cpu", "--batch-size", "2", "--json"])
    captured = capsys.readouterr()
    assert code == 1  # the corrupt file failed (listed); the rest was written
    summary = json.loads(captured.out)
    assert summary["written"] == N_IMAGES
    assert [Path(f["file"]).name for f in summary["failed"]] == [BROKEN]
    assert BROKEN in captured.err
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == N_IMAGES and BROKEN.replace(".jpg", ".png") not in written
    # Each written mask is the Predictor's own output for that image, thresholded at 0.5.
    predictor = Predictor(load_model(tiny_weights), device="cpu")
    for image_path in sorted((kvasir_sample / "images").glob("*.jpg")):
        if image_path.name == BROKEN:
            continue
        mask = read_mask(out / f"{image_path.stem}.png")
        probability = predictor.predict(read_image(image_path)).probability
        assert mask.shape == probability.shape
        expected = (probability > 0.5).astype(np.uint8)
        # The CLI ran batches of 2, this a batch of 1: an untrained network sits near 0.5, so a
        # pixel within rounding noise of the threshold may fall either way; nothing else may.
        differs = mask != expected
        assert np.all(np.abs(probability[differs] - 0.5) < 1e-4), image_path.name
        assert differs.mean() < 1e-3, image_path.name
        assert 0 < expected.sum() < expected.size  # a mask with both classes: the check has teeth


def test_predict_fails_when_nothing_is_readable(
    run_cli: Callable[[list[str]], int], tiny_weights: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "junk.png").write_text("no image")
    argv = ["predict", "--weights", str(tiny_weights), "--input", str(src), "--output", str(tmp_path / "o")]
    assert run_cli([*argv, "--device", "cpu"]) == 1


def test_predict_without_default_model_is_a_clear_error(
    run_cli: Callable[[list[str]], int],
    kvasir_sample: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from meddisseg_core.inference import model_location

    monkeypatch.setattr(model_location, "candidate_paths", lambda: [tmp_path / "none.safetensors"])
    code = run_cli(["predict", "--input", str(kvasir_sample / "images"), "--output", str(tmp_path / "o")])
    assert code == 2
    assert "no default model" in capsys.readouterr().err
