"""The one prompt call: image + prompts (+ current mask and probability) in, a new mask out.

:class:`PromptSegmenter` is the interface the app codes against. :func:`make_prompt_segmenter`
builds the shipped implementation around a loaded :class:`~meddisseg_core.inference.Predictor`:
a box re-runs the network on the box's crop (see :mod:`.box`), a click corrects the mask near
the click (see :mod:`.clicks`). A learned click model can plug in later as another
:class:`ClickMethod` behind the same call.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from meddisseg_core.interactive.prompts import PromptResult, Prompts, validate_inputs


class PromptSegmenter(Protocol):
    """Steers a segmentation with a box and/or clicks."""

    def segment(
        self,
        image: np.ndarray,
        prompts: Prompts,
        *,
        mask: np.ndarray | None = None,
        probability: np.ndarray | None = None,
    ) -> PromptResult:
        """The new full mask after the newest prompt.

        ``image`` is H×W×3 RGB (uint8, or uint16 brought to 8 bit by the model's pixel rule).
        ``mask`` is the current mask (bool or uint8 H×W; None means empty): it already holds
        the effect of every prompt but the newest. ``probability`` is the ``probability`` of the
        previous result (or the proposal's map; None when there is none). The newest prompt is
        the last click when there are clicks, else the box. Raises
        :class:`~meddisseg_core.errors.PromptError` before changing anything for a click outside
        the image, a box of zero area or off the image, or a mask/probability of another shape.
        Empty prompts return the mask unchanged.
        """
        ...


class ClickMethod(Protocol):
    """How the newest click changes the mask (the plug-in point for a learned click model)."""

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult: ...


class BoxMethod(Protocol):
    """How a box changes the mask."""

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult: ...


def as_bool_mask(mask: np.ndarray | None, shape: tuple[int, int]) -> np.ndarray:
    """A fresh bool copy of ``mask`` (all False when None)."""
    if mask is None:
        return np.zeros(shape, dtype=bool)
    return np.asarray(mask).astype(bool, copy=True)


class ComposedSegmenter:
    """A :class:`PromptSegmenter` from a box method and a click method (validation in one place)."""

    def __init__(self, box_method: BoxMethod, click_method: ClickMethod) -> None:
        self.box_method = box_method
        self.click_method = click_method

    def segment(
        self,
        image: np.ndarray,
        prompts: Prompts,
        *,
        mask: np.ndarray | None = None,
        probability: np.ndarray | None = None,
    ) -> PromptResult:
        shape = validate_inputs(image, prompts, mask, probability)
        current = as_bool_mask(mask, shape)
        prob = None if probability is None else np.asarray(probability, dtype=np.float32)
        if prompts.empty:
            return PromptResult(current, None if prob is None else prob.copy())
        if prompts.clicks:
            return self.click_method(image, prompts, current, prob)
        return self.box_method(image, prompts, current, prob)


def make_prompt_segmenter(
    predictor: Any, *, click_method: str = "ours", refiner: Any = "auto", **options: Any
) -> PromptSegmenter:
    """The shipped prompt segmenter around ``predictor`` (a loaded Predictor).

    ``click_method`` picks another click algorithm by name (the benchmark compares them; see
    :data:`meddisseg_core.interactive.clicks.CLICK_METHODS`). ``refiner`` is the learned
    refiner's file (``"auto"``: the shipped one when installed, see
    :func:`~meddisseg_core.inference.model_location.refiner_model_path`; None: none). With a
    refiner, ``ours`` and the box use it; without, the hand-made methods. ``options`` go to the
    crop runner.
    """
    from meddisseg_core.interactive.box import BoxPrompt
    from meddisseg_core.interactive.clicks import click_method_named
    from meddisseg_core.interactive.crops import CropRunner

    runner = CropRunner(predictor, **options)
    net = None
    if refiner == "auto":
        from meddisseg_core.inference.model_location import refiner_model_path

        refiner = refiner_model_path()
    if refiner is not None:
        from meddisseg_core.interactive.learned import LearnedBox, cached_refiner

        net = cached_refiner(refiner)
    box_method: BoxMethod = BoxPrompt(runner) if net is None else LearnedBox(runner, net)
    return ComposedSegmenter(box_method, click_method_named(click_method, runner, net))
