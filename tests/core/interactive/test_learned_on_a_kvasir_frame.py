"""The shipped refiner on a real Kvasir-SEG val frame: clicks converge and a box finds the polyp.

No Med-DisSeg pass runs: the network's map is all zeros, so what is measured is the refiner alone,
from nothing but the clicks (or the box's ellipse prior) and the image. The bars are loose; the
benchmark (bench_interactive.py) measures the real thing on all 120 val frames.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from meddisseg_core.imageio import read_image, read_mask
from meddisseg_core.inference.model_location import refiner_model_path
from meddisseg_core.interactive import Box, Prompts, make_prompt_segmenter
from meddisseg_core.interactive.annotator import next_click

FRAME = "cju0s690hkp960855tjuaqvv0.jpg"  # 621×530


class ZeroPredictor:
    def predict(self, image: np.ndarray) -> SimpleNamespace:
        return SimpleNamespace(probability=np.zeros(image.shape[:2], np.float32))


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a & b)) / max(1, np.count_nonzero(a | b))


@pytest.fixture
def frame(kvasir_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    if refiner_model_path() is None:
        pytest.skip("no learned refiner installed in this checkout")
    image = read_image(kvasir_dir / "images" / FRAME)
    return image, read_mask(kvasir_dir / "masks" / FRAME, image.shape[:2]).astype(bool)


def test_three_clicks_from_nothing_reach_85_percent(frame: tuple[np.ndarray, np.ndarray]) -> None:
    image, gt = frame
    segmenter = make_prompt_segmenter(ZeroPredictor())
    mask, prompts, ious = np.zeros_like(gt), Prompts(), []
    for _ in range(3):
        click = next_click(mask, gt)
        assert click is not None
        prompts = prompts.with_click(click)
        mask = segmenter.segment(image, prompts, mask=mask, probability=np.zeros(gt.shape, np.float32)).mask
        ious.append(_iou(mask, gt))
    assert ious[-1] > 0.85 and ious[-1] > ious[0]  # measured 0.75, 0.88, 0.92


def test_a_box_finds_the_polyp_without_the_network(frame: tuple[np.ndarray, np.ndarray]) -> None:
    image, gt = frame
    ys, xs = np.nonzero(gt)
    box = Box(int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    result = make_prompt_segmenter(ZeroPredictor()).segment(image, Prompts(box=box), mask=np.zeros_like(gt))
    inside = (slice(box.y0, box.y1), slice(box.x0, box.x1))
    ellipse_only = np.zeros(gt.shape, np.uint8)
    cx, cy = (box.x0 + box.x1) // 2, (box.y0 + box.y1) // 2
    cv2.ellipse(ellipse_only, (cx, cy), ((box.x1 - box.x0) // 2, (box.y1 - box.y0) // 2), 0, 0, 360, 1, -1)
    refined = _iou(result.mask[inside], gt[inside])
    assert refined > 0.78 and refined > _iou(ellipse_only.astype(bool)[inside], gt[inside])
    assert not result.mask[: box.y0].any() and not result.mask[box.y1 :].any()
