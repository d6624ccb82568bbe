"""Bad prompts raise PromptError naming the value, before anything runs, and change nothing."""

from __future__ import annotations

import re

import numpy as np
import pytest

from meddisseg_core.errors import MedDisSegError
from meddisseg_core.interactive import Box, Click, PromptError, Prompts
from meddisseg_core.interactive.segmenter import ComposedSegmenter


def _never(*_args: object) -> object:
    raise AssertionError("a bad prompt reached an algorithm")


@pytest.mark.parametrize(
    ("prompts", "mask_shape", "named"),
    [
        (Prompts(clicks=(Click(40, 5, True),)), None, "x=40"),
        (Prompts(clicks=(Click(3, -1, False),)), None, "y=-1"),
        (Prompts(box=Box(5, 5, 5, 20)), None, "zero area"),
        (Prompts(box=Box(5, 8, 20, 3)), None, "zero area"),
        (Prompts(box=Box(-2, 0, 10, 10)), None, "runs off"),
        (Prompts(box=Box(0, 0, 41, 10)), None, "runs off"),
        (Prompts(clicks=(Click(1, 1, True),)), (40, 30), "(40, 30)"),
    ],
)
def test_bad_prompt_raises_and_changes_nothing(
    prompts: Prompts, mask_shape: tuple[int, int] | None, named: str
) -> None:
    image = np.zeros((30, 40, 3), np.uint8)  # H=30, W=40
    mask = np.zeros(mask_shape or (30, 40), bool)
    mask[3:6, 3:6] = True
    before = mask.copy()
    segmenter = ComposedSegmenter(_never, _never)
    with pytest.raises(PromptError, match=re.escape(named)) as info:
        segmenter.segment(image, prompts, mask=mask)
    assert isinstance(info.value, MedDisSegError)
    np.testing.assert_array_equal(mask, before)


def test_non_integer_coordinates_are_refused() -> None:
    with pytest.raises(PromptError, match=r"2\.5"):
        Click(2.5, 3, True)  # type: ignore[arg-type]
    assert Click(np.int64(2), np.int32(3), True) == Click(2, 3, True)


def test_empty_prompts_return_the_mask_unchanged() -> None:
    mask = np.zeros((30, 40), np.uint8)
    mask[1:4, 1:4] = 1
    result = ComposedSegmenter(_never, _never).segment(np.zeros((30, 40, 3), np.uint8), Prompts(), mask=mask)
    assert result.mask.dtype == bool
    np.testing.assert_array_equal(result.mask, mask.astype(bool))
