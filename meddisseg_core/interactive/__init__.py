"""Prompted correction: a box or clicks steer the model (no Qt; see :mod:`.segmenter`)."""

from meddisseg_core.errors import PromptError
from meddisseg_core.interactive.prompts import Box, Click, PromptResult, Prompts, validate_prompts
from meddisseg_core.interactive.segmenter import PromptSegmenter, make_prompt_segmenter

__all__ = [
    "Box",
    "Click",
    "PromptError",
    "PromptResult",
    "PromptSegmenter",
    "Prompts",
    "make_prompt_segmenter",
    "validate_prompts",
]
