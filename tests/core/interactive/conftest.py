"""Fixtures of the prompt tests: the red-seeing fake predictor and a segmenter around it."""

from __future__ import annotations

import pytest
from prompt_scenes import RedPredictor

from meddisseg_core.interactive import make_prompt_segmenter


@pytest.fixture
def red_predictor() -> RedPredictor:
    return RedPredictor()


@pytest.fixture
def segmenter(red_predictor: RedPredictor) -> object:
    return make_prompt_segmenter(red_predictor)
