"""meddisseg evaluate --json: one JSON object with the six metrics at 256 and at original size."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from meddisseg_core.metrics import METRIC_KEYS

BROKEN = "broken.jpg"  # made by the kvasir_sample fixture
N_IMAGES = 3


def test_evaluate_json(
    run_cli: Callable[[list[str]], int],
    tiny_weights: Path,
    kvasir_sample: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["evaluate", "--weights", str(tiny_weights), "--data", str(kvasir_sample), "--split", "val.txt"]
    code = run_cli([*argv, "--json", "--device", "cpu"])
    captured = capsys.readouterr()
    assert code == 0
    report = json.loads(captured.out)
    assert report["images"] == N_IMAGES
    assert [Path(f["file"]).name for f in report["failed"]] == [BROKEN]
    for level in ("at_256", "at_original"):
        assert set(report[level]) == set(METRIC_KEYS)
        assert all(0.0 <= v <= 100.0 for v in report[level].values())
    assert report["device"].startswith("cpu")


def test_evaluate_table_without_json(
    run_cli: Callable[[list[str]], int],
    tiny_weights: Path,
    kvasir_sample: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run_cli(
        ["evaluate", "--weights", str(tiny_weights), "--data", str(kvasir_sample), "--device", "cpu"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "at_256" in out and "at_original" in out and "mdsc" in out


def test_evaluate_missing_masks_folder_is_an_error(
    run_cli: Callable[[list[str]], int], tiny_weights: Path, tmp_path: Path
) -> None:
    (tmp_path / "images").mkdir()
    assert run_cli(["evaluate", "--weights", str(tiny_weights), "--data", str(tmp_path)]) == 2


def _six_metrics(pred: np.ndarray, gt: np.ndarray) -> dict[str, float]:
    """The paper's six metrics from a confusion matrix, written here without the module's code."""
    eps = 1e-15
    tp = float(np.sum(pred & gt))
    fp = float(np.sum(pred & ~gt))
    fn = float(np.sum(~pred & gt))
    tn = float(np.sum(~pred & ~gt))
    recall = (tp + eps) / (tp + fn + eps)
    precision = (tp + eps) / (tp + fp + eps)
    return {
        "miou": (tp + eps) / (tp + fp + fn + eps),
        "mdsc": (2 * tp + eps) / (2 * tp + fp + fn + eps),
        "recall": recall,
        "precision": precision,
        "accuracy": (tp + tn) / (tp + tn + fp + fn),
        "f2": 5 * precision * recall / (4 * precision + recall + eps),
    }


def _mean_percent(rows: list[dict[str, float]]) -> dict[str, float]:
    return {key: 100 * float(np.mean([row[key] for row in rows])) for key in METRIC_KEYS}


def test_all_six_metrics_at_256_and_at_original_equal_an_independent_computation(
    run_cli: Callable[[list[str]], int],
    tiny_weights: Path,
    kvasir_sample: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """At 256: the authors' test script, redone with OpenCV. At original size: the Predictor's own
    map at the image's size against the GT as read. Metrics from confusion counts, per image, then
    the mean over images."""
    from meddisseg_core.checkpoint import load_model
    from meddisseg_core.inference import Predictor

    loaded = load_model(tiny_weights)
    network = loaded.network.eval()
    predictor = Predictor(loaded, device="cpu")
    size = (64, 64)  # the tiny model's input; its map is then brought to 256×256 as evaluate does
    at_256, at_original = [], []
    for name in (kvasir_sample / "val.txt").read_text().split()[:N_IMAGES]:
        bgr = cv2.imread(str(kvasir_sample / "images" / name), cv2.IMREAD_COLOR)
        grey = cv2.imread(str(kvasir_sample / "masks" / name), cv2.IMREAD_GRAYSCALE)
        x = torch.from_numpy((cv2.resize(bgr, size) / 255.0).transpose(2, 0, 1).astype(np.float32))[None]
        with torch.no_grad():
            prob = network.infer(x).mask[0, 0].numpy()
        prob = cv2.resize(prob, (256, 256), interpolation=cv2.INTER_LINEAR)
        gt_256 = cv2.resize(grey, (256, 256)) / 255.0 > 0.5
        at_256.append(_six_metrics(prob > 0.5, gt_256))
        full = predictor.predict(np.ascontiguousarray(bgr[:, :, ::-1])).probability
        assert full.shape == grey.shape
        at_original.append(_six_metrics(full > 0.5, grey / 255.0 > 0.5))
    argv = ["evaluate", "--weights", str(tiny_weights), "--data", str(kvasir_sample), "--split", "val.txt"]
    # Batch size 1 as the authors: an untrained network sits near 0.5, where batching noise flips pixels.
    assert run_cli([*argv, "--json", "--device", "cpu", "--batch-size", "1"]) == 0
    report = json.loads(capsys.readouterr().out)
    for level, rows in (("at_256", at_256), ("at_original", at_original)):
        expected = _mean_percent(rows)
        for key in METRIC_KEYS:
            assert report[level][key] == pytest.approx(expected[key], abs=1e-3), (level, key)
    # The two levels differ (different sizes and GT rules), so neither can stand in for the other.
    assert report["at_256"] != report["at_original"]
