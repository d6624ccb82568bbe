"""The six metrics on hand-computed cases, the authors' GT resizing, and averaging."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from meddisseg_core.metrics import (
    METRIC_KEYS,
    as_percent,
    mean_metrics,
    metrics_at_model_size,
    resize_gt_like_authors,
    segmentation_metrics,
)


def test_hand_computed_case() -> None:
    # 10 pixels: GT has 4, prediction has 3, 2 overlap.
    gt = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], np.uint8).reshape(2, 5)
    pred = np.array([0.9, 0.8, 0.2, 0.1, 0.7, 0.0, 0.0, 0.0, 0.0, 0.5], np.float32).reshape(2, 5)
    m = segmentation_metrics(pred, gt)
    assert m["miou"] == pytest.approx(2 / 5)
    assert m["mdsc"] == pytest.approx(4 / 7)
    assert m["recall"] == pytest.approx(2 / 4)
    assert m["precision"] == pytest.approx(2 / 3)
    assert m["accuracy"] == pytest.approx(7 / 10)  # 0.5 is not foreground: threshold is strict
    p, r = 2 / 3, 1 / 2
    assert m["f2"] == pytest.approx(5 * p * r / (4 * p + r))
    assert tuple(m) == METRIC_KEYS


def test_empty_gt_and_empty_prediction_score_one() -> None:
    m = segmentation_metrics(np.zeros((4, 4)), np.zeros((4, 4), np.uint8))
    for key in ("miou", "mdsc", "recall", "precision", "accuracy"):
        assert m[key] == pytest.approx(1.0)
    assert m["f2"] == pytest.approx(1.0)


def test_empty_gt_with_prediction() -> None:
    pred = np.zeros((4, 4))
    pred[0, 0] = 1.0
    m = segmentation_metrics(pred, np.zeros((4, 4), np.uint8))
    assert m["recall"] == pytest.approx(1.0)
    assert m["miou"] < 1e-12 and m["mdsc"] < 1e-12 and m["precision"] < 1e-12
    assert m["accuracy"] == pytest.approx(15 / 16)


def test_gt_255_and_bool_inputs_agree() -> None:
    rng = np.random.default_rng(1)
    gt = rng.random((8, 8)) > 0.6
    pred = rng.random((8, 8))
    a = segmentation_metrics(pred, gt)
    b = segmentation_metrics(pred, gt.astype(np.uint8) * 255)
    assert a == b


def test_shape_mismatch_raises() -> None:
    with pytest.raises(ValueError, match="differs"):
        segmentation_metrics(np.zeros((4, 4)), np.zeros((4, 5)))


def test_gt_resized_the_authors_way() -> None:
    grey = np.zeros((40, 60), np.uint8)
    grey[10:30, 20:45] = 255
    expected = (cv2.resize(grey, (16, 8)) / 255.0 > 0.5).astype(np.uint8)
    np.testing.assert_array_equal(resize_gt_like_authors(grey, (8, 16)), expected)
    perfect = expected.astype(np.float32)
    assert metrics_at_model_size(perfect, grey)["mdsc"] == pytest.approx(1.0)


def test_mean_is_per_image_mean_and_percent() -> None:
    rows = [dict.fromkeys(METRIC_KEYS, 1.0), dict.fromkeys(METRIC_KEYS, 0.5)]
    mean = mean_metrics(rows)
    assert mean["miou"] == pytest.approx(0.75)
    assert as_percent(mean)["f2"] == pytest.approx(75.0)
    with pytest.raises(ValueError):
        mean_metrics([])
