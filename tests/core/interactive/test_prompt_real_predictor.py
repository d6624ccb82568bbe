"""make_prompt_segmenter drives a real Predictor (tiny network): shapes, dtypes, crop cache, 16-bit input."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import torch

from meddisseg_core.inference import Predictor
from meddisseg_core.interactive import Box, Click, Prompts, make_prompt_segmenter
from meddisseg_core.nn import NetworkConfig, build_network


def _predictor() -> Predictor:
    torch.manual_seed(0)
    convention = SimpleNamespace(
        colour_order="BGR", size=(64, 64), scale=1 / 255, mean=None, std=None, resize_interpolation="linear"
    )
    loaded = SimpleNamespace(
        network=build_network(NetworkConfig.tiny(2)), metadata=SimpleNamespace(input=convention)
    )
    return Predictor(loaded, device="cpu")


def test_box_then_click_with_a_real_predictor() -> None:
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        segmenter = make_prompt_segmenter(_predictor())
        rng = np.random.default_rng(0)
        image = rng.integers(
            0, 65536, (90, 120, 3), dtype=np.uint16
        )  # 16-bit: the model's pixel rule applies
        box = Prompts(box=Box(20, 10, 80, 70))
        first = segmenter.segment(image, box)
        again = segmenter.segment(image, box)
        clicked = segmenter.segment(
            image,
            Prompts(box=box.box, clicks=(Click(5, 85, True),)),
            mask=first.mask,
            probability=first.probability,
        )
    finally:
        torch.set_num_threads(before)
    for result in (first, clicked):
        assert result.mask.shape == (90, 120) and result.mask.dtype == bool
        assert result.probability is not None and result.probability.shape == (90, 120)
        assert result.probability.dtype == np.float32
        assert float(result.probability.min()) >= 0.0 and float(result.probability.max()) <= 1.0
    np.testing.assert_array_equal(first.mask, again.mask)  # the crop came from the cache: same answer
    assert not first.mask[:, :20].any() and not first.mask[:, 80:].any()  # a box changes only its inside
