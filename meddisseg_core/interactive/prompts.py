"""The prompt values (clicks, a box) and their validation against an image.

Coordinates are image pixels at the image's original resolution: ``x`` is the column, ``y`` the
row, the origin is the top-left pixel. A box's ``x1``/``y1`` are exclusive, like a numpy slice
``[y0:y1, x0:x1]``. Validation raises :class:`~meddisseg_core.errors.PromptError` naming the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from meddisseg_core.errors import PromptError


def _as_int(name: str, value: object) -> int:
    # numpy integers (from event positions or argmax) are welcome; floats and bools are not.
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise PromptError(f"{name} must be an integer pixel coordinate, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class Click:
    """One click: ``positive`` adds the region under it, a negative click removes it."""

    x: int
    y: int
    positive: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "x", _as_int("click x", self.x))
        object.__setattr__(self, "y", _as_int("click y", self.y))
        object.__setattr__(self, "positive", bool(self.positive))


@dataclass(frozen=True)
class Box:
    """A box around one lesion; ``x1`` and ``y1`` are exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    def __post_init__(self) -> None:
        for name in ("x0", "y0", "x1", "y1"):
            object.__setattr__(self, name, _as_int(f"box {name}", getattr(self, name)))

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Prompts:
    """Every prompt since the last "clear prompts".

    ``clicks`` are cumulative and in order; the last one is the newest. The newest prompt is
    the last click when there are clicks, else the box. A box drawn after clicks starts a new
    prompt set: pass ``Prompts(box=new_box)`` (the old clicks belonged to the old box).
    """

    box: Box | None = None
    clicks: tuple[Click, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "clicks", tuple(self.clicks))
        if self.box is not None and not isinstance(self.box, Box):
            raise PromptError(f"box must be a Box, got {self.box!r}")
        for click in self.clicks:
            if not isinstance(click, Click):
                raise PromptError(f"clicks must be Click values, got {click!r}")

    @property
    def empty(self) -> bool:
        return self.box is None and not self.clicks

    def with_click(self, click: Click) -> Prompts:
        """These prompts plus ``click`` as the newest."""
        return Prompts(self.box, (*self.clicks, click))


class PromptResult(NamedTuple):
    """The new full mask, and the probability map to pass back as ``probability`` next time."""

    mask: np.ndarray  # bool H×W
    probability: np.ndarray | None  # float32 H×W in [0, 1]


def validate_prompts(prompts: Prompts, shape: tuple[int, int]) -> None:
    """Raise :class:`PromptError` unless every prompt lies inside an image of ``shape`` (H, W)."""
    if not isinstance(prompts, Prompts):
        raise PromptError(f"prompts must be a Prompts value, got {prompts!r}")
    height, width = shape
    for i, click in enumerate(prompts.clicks):
        if not (0 <= click.x < width and 0 <= click.y < height):
            raise PromptError(
                f"click {i + 1} at (x={click.x}, y={click.y}) is outside the {width}×{height} image"
            )
    box = prompts.box
    if box is None:
        return
    if box.x1 <= box.x0 or box.y1 <= box.y0:
        raise PromptError(
            f"box ({box.x0}, {box.y0})–({box.x1}, {box.y1}) has zero area ({box.width}×{box.height} px)"
        )
    if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height:
        raise PromptError(
            f"box ({box.x0}, {box.y0})–({box.x1}, {box.y1}) runs off the {width}×{height} image"
        )


def validate_inputs(
    image: np.ndarray, prompts: Prompts, mask: np.ndarray | None, probability: np.ndarray | None
) -> tuple[int, int]:
    """Check the image, the mask/probability shapes and the prompts; returns (H, W)."""
    if not isinstance(image, np.ndarray) or image.ndim not in (2, 3) or image.size == 0:
        shape = getattr(image, "shape", None)
        raise PromptError(f"expected an RGB image H×W×3, got {type(image).__name__} of shape {shape}")
    if image.ndim == 3 and image.shape[2] not in (3, 4):
        raise PromptError(f"expected an RGB image H×W×3, got shape {image.shape}")
    if image.dtype not in (np.uint8, np.uint16):
        raise PromptError(f"expected uint8 or uint16 pixels, got {image.dtype}")
    shape = (int(image.shape[0]), int(image.shape[1]))
    for name, values in (("mask", mask), ("probability", probability)):
        if values is not None and np.shape(values) != shape:
            raise PromptError(f"{name} of shape {np.shape(values)} does not match the image's {shape}")
    validate_prompts(prompts, shape)
    return shape
