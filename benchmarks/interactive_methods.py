"""The click/box methods bench_interactive.py compares: ours (shipped) and the baselines.

Each entry of :data:`METHODS` builds a PromptSegmenter from a Predictor. The GrabCut baselines
work on the frame downscaled to :data:`GRABCUT_SIDE` px on its long side (GrabCut at 1920×1072
takes seconds per call) and upscale their mask; they draw their seeds there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import cv2
import numpy as np

from meddisseg_core.interactive import PromptResult, Prompts, make_prompt_segmenter
from meddisseg_core.interactive.segmenter import ComposedSegmenter

GRABCUT_SIDE = 200  # the issue measured at 320; 200 keeps a 120-image run affordable on 2 busy cores
SEED_RADIUS = 3  # px at GRABCUT_SIDE: the 5-px definite seeds at 320, scaled
PR_FGD_RADIUS = (
    0.1  # plain GrabCut: probable foreground within this fraction of the short side of a positive click
)
ITERATIONS = 3


class DiskCachedPredictor:
    """A Predictor whose outputs are kept in a folder, keyed by the image's bytes (development only)."""

    def __init__(self, predictor: Any, folder: Path) -> None:
        self.predictor = predictor
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def predict(self, image: np.ndarray) -> SimpleNamespace:
        key = hashlib.blake2b(np.ascontiguousarray(image).tobytes(), digest_size=16)
        key.update(repr(image.shape).encode())
        path = self.folder / f"{key.hexdigest()}.npy"
        if path.exists():
            return SimpleNamespace(probability=np.load(path).astype(np.float32))
        prob = self.predictor.predict(image).probability
        np.save(path, prob.astype(np.float16))
        return SimpleNamespace(probability=prob.astype(np.float16).astype(np.float32))


def _small(image: np.ndarray) -> tuple[np.ndarray, float]:
    scale = min(1.0, GRABCUT_SIDE / max(image.shape[:2]))
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    bgr = np.ascontiguousarray(image[:, :, 2::-1]).astype(np.uint8)
    return cv2.resize(bgr, size, interpolation=cv2.INTER_AREA), scale


def _up(mask_small: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    up = cv2.resize(mask_small.astype(np.uint8) * 255, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
    return up >= 128


def _grabcut(
    small: np.ndarray, gc: np.ndarray, rect: tuple[int, int, int, int] | None = None
) -> np.ndarray | None:
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    try:
        if rect is not None:
            cv2.grabCut(small, gc, rect, bgd, fgd, ITERATIONS, cv2.GC_INIT_WITH_RECT)
        else:
            cv2.grabCut(small, gc, None, bgd, fgd, ITERATIONS, cv2.GC_INIT_WITH_MASK)
    except cv2.error:
        return None  # no foreground or no background samples
    return (gc == cv2.GC_FGD) | (gc == cv2.GC_PR_FGD)


class GrabCutClicks:
    """Whole-frame GrabCut re-run per click. ``prior``: PR_FGD on the current mask (the issue's variant);
    plain: PR_FGD only in a disc around each positive click, no model prior."""

    def __init__(self, prior: bool) -> None:
        self.prior = prior

    def __call__(
        self, image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
    ) -> PromptResult:
        small, scale = _small(image)
        h, w = small.shape[:2]
        gc = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
        if self.prior:
            prior = mask if probability is None else (probability >= 0.5) | mask
            gc[cv2.resize(prior.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0] = (
                cv2.GC_PR_FGD
            )
        else:
            for click in prompts.clicks:
                if click.positive:
                    centre = (round(click.x * scale), round(click.y * scale))
                    cv2.circle(gc, centre, max(1, round(PR_FGD_RADIUS * min(h, w))), cv2.GC_PR_FGD, -1)
        for click in prompts.clicks:
            centre = (round(click.x * scale), round(click.y * scale))
            cv2.circle(gc, centre, SEED_RADIUS, cv2.GC_FGD if click.positive else cv2.GC_BGD, -1)
        fg = _grabcut(small, gc)
        new = mask.copy() if fg is None else _up(fg, mask.shape)
        return PromptResult(new, probability)


def grabcut_box(
    image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
) -> PromptResult:
    """``cv2.grabCut`` initialised with the box (downscaled); replaces the mask inside the box."""
    box = prompts.box
    assert box is not None
    small, scale = _small(image)
    h, w = small.shape[:2]
    x0, y0 = int(box.x0 * scale), int(box.y0 * scale)
    x1, y1 = max(x0 + 2, round(box.x1 * scale)), max(y0 + 2, round(box.y1 * scale))
    rect = (x0, y0, min(w, x1) - x0, min(h, y1) - y0)
    fg = _grabcut(small, np.zeros((h, w), np.uint8), rect)
    new = mask.copy()
    if fg is not None:
        inside = (slice(box.y0, box.y1), slice(box.x0, box.x1))
        new[inside] = _up(fg, mask.shape)[inside]
    return PromptResult(new, probability)


def _unchanged(
    image: np.ndarray, prompts: Prompts, mask: np.ndarray, probability: np.ndarray | None
) -> PromptResult:
    return PromptResult(mask.copy(), probability)


def _ours(predictor: Any) -> Any:
    return make_prompt_segmenter(predictor)


def _named(name: str) -> Callable[[Any], Any]:
    return lambda predictor: make_prompt_segmenter(predictor, click_method=name)


def _local(predictor: Any) -> Any:
    """The hand-made methods (what ships when no learned refiner is installed)."""
    return make_prompt_segmenter(predictor, click_method="local", refiner=None)


METHODS: dict[str, Callable[[Any], Any]] = {
    "ours": _ours,
    "local": _local,
    "grabcut": lambda _p: ComposedSegmenter(grabcut_box, GrabCutClicks(prior=False)),
    "grabcut-prior": lambda _p: ComposedSegmenter(grabcut_box, GrabCutClicks(prior=True)),
    "none": lambda _p: ComposedSegmenter(_unchanged, _unchanged),
}

# The click methods we tried beside ours (meddisseg_core/interactive/click_alternatives.py).
for _name in ("watershed", "offset", "threshold"):
    METHODS[_name] = _named(_name)


def build_method(name: str, predictor: Any) -> Any:
    return METHODS[name](predictor)
