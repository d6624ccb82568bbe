"""Fixtures of the prompt tests: the red-seeing fake predictor and a hand-made segmenter around it.

The learned refiner has tests of its own (test_refiner_*.py, test_learned_*.py); these scenes have
known answers for the hand-made methods, which ship when no refiner is installed.
"""

from __future__ import annotations

import pytest
from prompt_scenes import RedPredictor

from meddisseg_core.interactive import make_prompt_segmenter


@pytest.fixture
def red_predictor() -> RedPredictor:
    return RedPredictor()


@pytest.fixture
def segmenter(red_predictor: RedPredictor) -> object:
    return make_prompt_segmenter(red_predictor, refiner=None)  # the hand-made methods
