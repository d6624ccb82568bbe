"""The learned click refiner: a small U-Net that redraws the mask inside a focus crop.

As in RITM and FocalClick, the network sees a crop of the image around the current mask and
the clicks, the current mask (or, for a box, a soft prior), two click maps (discs of radius
:data:`CLICK_RADIUS` at the network's input size, one for positive and one for negative
clicks) and a box map (1 inside a box prompt, else 0), and predicts the mask inside the crop.
Outside the crop nothing changes. The same crop rule (:func:`focus_rect`) and
input encoding (:func:`encode`) serve training (``scripts/train_click_refiner.py``) and the app,
so the two cannot drift apart.

The weights carry their input rule in the safetensors header (``meddisseg_refiner``): input
size, click radius, channel order, and the RGB scaling; :func:`load_refiner` refuses a file
whose rule differs from this code's, and never unpickles anything.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import torch
from torch import nn

from meddisseg_core.errors import CheckpointError
from meddisseg_core.interactive.prompts import Click

Rect = tuple[int, int, int, int]

INPUT_SIZE = 256  # the crop is resized to this square
CLICK_RADIUS = 5  # disc radius of a click, in input pixels
CONTEXT = 0.4  # the focus crop grows the mask-and-clicks box by this fraction of its side, each side
MIN_SIDE_FRACTION = 0.3  # ... and is at least this fraction of the image's shorter side
MEAN = (0.485, 0.456, 0.406)  # RGB scaling: (x / 255 - mean) / std
STD = (0.229, 0.224, 0.225)
CHANNELS = ("r", "g", "b", "mask", "positive", "negative", "box")
WIDTHS = (12, 24, 48, 96, 128)
HEADER_KEY = "meddisseg_refiner"


def input_rule() -> dict:
    """What a weight file must agree with to be used by this code."""
    return {
        "input_size": INPUT_SIZE,
        "click_radius": CLICK_RADIUS,
        "context": CONTEXT,
        "min_side_fraction": MIN_SIDE_FRACTION,
        "channels": list(CHANNELS),
        "mean": list(MEAN),
        "std": list(STD),
        "widths": list(WIDTHS),
    }


def focus_rect(mask: np.ndarray, clicks: Sequence[Click]) -> Rect:
    """The crop the refiner looks at: the box around the mask's component(s) near the clicks.

    The box holds the clicks and every mask component that touches the box around the clicks
    grown by its own size (a far-away false blob is left to its own clicks), grown by
    :data:`CONTEXT` on each side, at least :data:`MIN_SIDE_FRACTION` of the image's shorter
    side, made square where the image allows (the network's input is square), clipped.
    """
    height, width = mask.shape
    xs = [c.x for c in clicks]
    ys = [c.y for c in clicks]
    cx0, cx1, cy0, cy1 = min(xs), max(xs) + 1, min(ys), max(ys) + 1
    x0, y0, x1, y1 = cx0, cy0, cx1, cy1
    if mask.any():
        count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
        reach = max(cx1 - cx0, cy1 - cy0, int(0.1 * min(height, width)))
        for label in range(1, count):
            bx, by, bw, bh, _ = (int(v) for v in stats[label])
            near = (
                bx <= cx1 + reach and bx + bw >= cx0 - reach and by <= cy1 + reach and by + bh >= cy0 - reach
            )
            if near:
                x0, y0, x1, y1 = min(x0, bx), min(y0, by), max(x1, bx + bw), max(y1, by + bh)
    return square_rect(x0, y0, x1, y1, mask.shape)


def square_rect(x0: float, y0: float, x1: float, y1: float, shape: tuple[int, int]) -> Rect:
    """(x0, y0, x1, y1) grown by :data:`CONTEXT`, at least the minimum side, square where it fits, clipped."""
    height, width = shape
    side = max(x1 - x0, y1 - y0) * (1 + 2 * CONTEXT)
    side = max(side, MIN_SIDE_FRACTION * min(height, width), 16.0)
    mid_x, mid_y = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = min(side, width) / 2, min(side, height) / 2
    mid_x = float(np.clip(mid_x, half_w, width - half_w))
    mid_y = float(np.clip(mid_y, half_h, height - half_h))
    return (
        max(0, round(mid_x - half_w)),
        max(0, round(mid_y - half_h)),
        min(width, round(mid_x + half_w)),
        min(height, round(mid_y + half_h)),
    )


def encode(
    image: np.ndarray,
    mask: np.ndarray,
    clicks: Sequence[Click],
    rect: Rect,
    box: Rect | None = None,
) -> np.ndarray:
    """The network's input for ``rect``: float32 7×S×S (RGB scaled, mask, positive, negative, box).

    ``mask`` may be soft (a box's prior in [0, 1]); ``box`` is in image pixels, exclusive ends.
    """
    x0, y0, x1, y1 = rect
    size = (INPUT_SIZE, INPUT_SIZE)
    rgb = cv2.resize(np.ascontiguousarray(image[y0:y1, x0:x1, :3]), size, interpolation=cv2.INTER_AREA)
    rgb = (rgb.astype(np.float32) / 255.0 - np.asarray(MEAN, np.float32)) / np.asarray(STD, np.float32)
    crop_mask = mask[y0:y1, x0:x1].astype(np.float32)
    small_mask = cv2.resize(crop_mask, size, interpolation=cv2.INTER_AREA)
    maps = np.zeros((3, INPUT_SIZE, INPUT_SIZE), np.float32)
    scale_x, scale_y = INPUT_SIZE / (x1 - x0), INPUT_SIZE / (y1 - y0)
    for click in clicks:
        if not (x0 <= click.x < x1 and y0 <= click.y < y1):
            continue
        centre = (int((click.x - x0 + 0.5) * scale_x), int((click.y - y0 + 0.5) * scale_y))
        cv2.circle(maps[0 if click.positive else 1], centre, CLICK_RADIUS, 1.0, -1)
    if box is not None:
        bx0, by0 = round((box[0] - x0) * scale_x), round((box[1] - y0) * scale_y)
        bx1, by1 = round((box[2] - x0) * scale_x), round((box[3] - y0) * scale_y)
        maps[2, max(0, by0) : max(0, by1), max(0, bx0) : max(0, bx1)] = 1.0
    return np.concatenate([rgb.transpose(2, 0, 1), small_mask[None], maps], axis=0)


def box_prior(crop_prob: np.ndarray) -> np.ndarray:
    """A box's prior inside it: half the network's map of the box, half a blurred inscribed ellipse.

    Measured on Kvasir-SEG val (120 boxes): the network's crop map alone at 0.5 gives IoU 0.758
    in the box, an inscribed ellipse alone 0.771, this blend at 0.5 0.824: the person's box says
    where the lesion is and how large, the network where its edge runs.
    """
    h, w = crop_prob.shape
    ellipse = np.zeros((h, w), np.uint8)
    axes = (max(1, int(w / 2.1)), max(1, int(h / 2.1)))  # the box was drawn ~5 % larger than the lesion
    cv2.ellipse(ellipse, (w // 2, h // 2), axes, 0, 0, 360, 1, -1)
    soft = cv2.GaussianBlur(ellipse.astype(np.float32), (0, 0), max(1.0, 0.08 * min(h, w)))
    return 0.5 * np.asarray(crop_prob, np.float32) + 0.5 * soft


def _block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
        nn.Conv2d(c_out, c_out, 3, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


class RefinerNet(nn.Module):
    """A five-level U-Net, 7 channels in, one logit map out (same size)."""

    def __init__(self, widths: Sequence[int] = WIDTHS) -> None:
        super().__init__()
        widths = tuple(widths)
        self.down = nn.ModuleList()
        c_in = len(CHANNELS)
        for width in widths:
            self.down.append(_block(c_in, width))
            c_in = width
        self.up = nn.ModuleList(_block(widths[i + 1] + widths[i], widths[i]) for i in range(len(widths) - 1))
        self.head = nn.Conv2d(widths[0], 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits B×1×S×S for inputs B×7×S×S (S divisible by 16)."""
        skips = []
        for i, block in enumerate(self.down):
            x = block(x if i == 0 else nn.functional.max_pool2d(x, 2))
            skips.append(x)
        x = skips.pop()
        for block in reversed(self.up):
            skip = skips.pop()
            x = nn.functional.interpolate(x, size=skip.shape[-2:], mode="bilinear", align_corners=False)
            x = block(torch.cat([x, skip], dim=1))
        return self.head(x)


def save_refiner(net: RefinerNet, path: Path, card: dict) -> None:
    """Weights as fp16 safetensors (BatchNorm folded in nothing; plain state dict) with the input rule."""
    from safetensors.torch import save_file

    tensors = {
        k: (v.half() if v.is_floating_point() else v).contiguous() for k, v in net.state_dict().items()
    }
    metadata = {HEADER_KEY: json.dumps(input_rule()), "card": json.dumps(card)}
    save_file(tensors, str(path), metadata=metadata)


def load_refiner(path: Path) -> RefinerNet:
    """The refiner in ``path`` (safetensors only), in eval mode; raises CheckpointError with the reason."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    path = Path(path)
    try:
        with safe_open(str(path), framework="pt") as handle:
            metadata = handle.metadata() or {}
        tensors = load_file(str(path))
    except Exception as exc:  # safetensors raises several types for a bad file
        raise CheckpointError(f"cannot read click refiner {path}: {exc}") from exc
    try:
        rule = json.loads(metadata.get(HEADER_KEY, "null"))
    except json.JSONDecodeError as exc:
        raise CheckpointError(f"click refiner {path}: unreadable {HEADER_KEY!r} header") from exc
    if rule != input_rule():
        raise CheckpointError(
            f"click refiner {path}: its input rule {rule!r} is not this code's {input_rule()!r}"
        )
    net = RefinerNet(rule["widths"])
    try:
        net.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in tensors.items()})
    except RuntimeError as exc:
        raise CheckpointError(f"click refiner {path}: weights do not fit the network: {exc}") from exc
    return net.eval()
