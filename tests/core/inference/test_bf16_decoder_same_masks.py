"""The shipped model in bf16-decoder gives fp32's masks on real Kvasir-SEG val frames (the same-masks rule).

The frames include the one whose plain-bf16 mask fell to Dice 0.938 against fp32 on the Zen 5
(cju16whaj0e7n0855q7b6cjkm): the encoder kept in fp32 is what brings it back. On a CPU without
bf16 instructions the same arithmetic is emulated (slower, same rounding).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from meddisseg_core.imageio import read_image
from meddisseg_core.inference import Predictor
from meddisseg_core.inference.measured import MIN_DICE_MIN

ROOT = Path(__file__).resolve().parents[3]
MODEL = ROOT / "resources" / "models" / "default.safetensors"
FRAMES = ("cju16whaj0e7n0855q7b6cjkm.jpg", "cju0sr5ghl0nd08789uzf1raf.jpg", "cju8chxndsre008015uisl4si.jpg")


def _dice(a: np.ndarray, b: np.ndarray) -> float:
    pa, pb = a > 0.5, b > 0.5
    total = int(pa.sum()) + int(pb.sum())
    return 1.0 if total == 0 else 2.0 * int((pa & pb).sum()) / total


@pytest.mark.slow
def test_bf16_decoder_keeps_fp32_masks(kvasir_dir: Path) -> None:
    if not MODEL.is_file():
        pytest.skip("no default model ships (resources/models/default.safetensors is absent)")
    fp32 = Predictor.from_path(MODEL, device="cpu", precision="fp32", runtime="torch")
    mixed = Predictor(fp32.loaded, device="cpu", precision="bf16-decoder", runtime="torch")
    plain = Predictor(fp32.loaded, device="cpu", precision="bf16", runtime="torch")
    assert mixed.precision == "bf16-decoder"
    dice_mixed, dice_plain = [], []
    for name in FRAMES:
        image = read_image(kvasir_dir / "images" / name)
        reference = fp32.predict(image).probability
        dice_mixed.append(_dice(mixed.predict(image).probability, reference))
        dice_plain.append(_dice(plain.predict(image).probability, reference))
    # Measured on the Zen 5: 0.997, 0.998, 0.994 (plain bf16: 0.938, 0.966, 0.983). 0.98 leaves room
    # for other CPUs' summation order while staying well above the rule's minimum.
    assert min(dice_mixed) >= 0.98 > MIN_DICE_MIN, dice_mixed
    # The frame that made bf16 fail the rule: the fp32 encoder is what restores it.
    assert dice_mixed[0] > dice_plain[0], (dice_mixed, dice_plain)
