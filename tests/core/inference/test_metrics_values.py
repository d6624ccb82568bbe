"""The six metrics at their edges: thresholds exactly at 0.5 / 128, disjoint masks, tiny images."""

from __future__ import annotations

import numpy as np
import pytest

from meddisseg_core.metrics import (
    METRIC_KEYS,
    as_percent,
    metrics_at_model_size,
    resize_gt_like_authors,
    segmentation_metrics,
)

EPS = 1e-15


def test_soft_target_of_exactly_one_half_is_background() -> None:
    gt = np.array([[0.5, 0.51]])
    pred = np.array([[1.0, 1.0]])
    scores = segmentation_metrics(pred, gt)
    # GT foreground is only the 0.51 pixel: precision 1/2, recall 1.
    assert scores["precision"] == pytest.approx(0.5)
    assert scores["recall"] == pytest.approx(1.0)


def test_disjoint_masks_score_by_the_smoothing_alone() -> None:
    pred = np.array([[1, 0]], np.uint8)
    gt = np.array([[0, 1]], np.uint8)
    scores = segmentation_metrics(pred, gt)
    p = r = EPS / (1 + EPS)
    # abs=0: these are of order 1e-15, below pytest.approx's default absolute tolerance.
    assert scores["precision"] == pytest.approx(p, rel=1e-9, abs=0)
    assert scores["recall"] == pytest.approx(r, rel=1e-9, abs=0)
    assert scores["f2"] == pytest.approx(5 * p * r / (4 * p + r + EPS), rel=1e-9, abs=0)
    assert scores["accuracy"] == 0.0


def test_one_pixel_image_is_scored_and_an_empty_one_refused() -> None:
    assert segmentation_metrics(np.ones((1, 1)), np.ones((1, 1)))["mdsc"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="empty"):
        segmentation_metrics(np.zeros((0, 3)), np.zeros((0, 3)))


@pytest.mark.parametrize(("grey", "foreground"), [(127, 0), (128, 1), (129, 1)])
def test_resized_grey_gt_is_foreground_from_128(grey: int, foreground: int) -> None:
    gt = resize_gt_like_authors(np.full((8, 8), grey, np.uint8), (4, 4))
    assert gt.dtype == np.uint8 and (gt == foreground).all()


def test_metrics_at_model_size_uses_the_probability_size() -> None:
    gt_grey = np.zeros((20, 20), np.uint8)
    gt_grey[:, :10] = 255
    prob = np.zeros((4, 4), np.float32)
    prob[:, :2] = 0.9
    assert metrics_at_model_size(prob, gt_grey)["miou"] == pytest.approx(1.0)


def test_as_percent_rounds_to_four_digits_by_default() -> None:
    values = dict.fromkeys(METRIC_KEYS, 0.123456789)
    assert as_percent(values) == dict.fromkeys(METRIC_KEYS, 12.3457)
    assert as_percent(values, digits=2)["f2"] == 12.35
