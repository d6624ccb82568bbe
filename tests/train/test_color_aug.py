"""The torch re-implementation of the authors' torchvision colour augmentation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from meddisseg_core.losses import ColorAugParams, apply_color_aug, color_aug, draw_params
from meddisseg_core.losses.color_aug import _adjust_hue, _from_hsv, _to_hsv


def _identity_params(**changes: object) -> ColorAugParams:
    base = {
        "order": (0, 1, 2, 3),
        "brightness": 1.0,
        "contrast": 1.0,
        "saturation": 1.0,
        "hue": 0.0,
        "grayscale": False,
        "sigma": 1e-3,
    }
    base.update(changes)
    return ColorAugParams(**base)  # type: ignore[arg-type]


def test_hsv_round_trip_is_identity() -> None:
    torch.manual_seed(0)
    x = torch.rand(2, 3, 8, 8)
    assert torch.allclose(_from_hsv(_to_hsv(x)), x, atol=1e-6)


def test_hue_shift_of_a_third_turns_channel0_into_channel1() -> None:
    red = torch.zeros(1, 3, 2, 2)
    red[:, 0] = 1.0
    shifted = _adjust_hue(red, 1.0 / 3.0)
    assert torch.allclose(shifted[:, 1], torch.ones(1, 2, 2), atol=1e-5)
    assert shifted[:, 0].abs().max() < 1e-5


def test_blur_is_vertical_only() -> None:
    # An image constant down every column is unchanged by a vertical blur; a row pattern is not.
    cols = torch.rand(1, 3, 1, 16).expand(1, 3, 16, 16).contiguous()
    out = apply_color_aug(cols, _identity_params(sigma=2.5))
    assert torch.allclose(out, cols, atol=1e-6)
    rows = cols.transpose(-1, -2).contiguous()
    assert not torch.allclose(apply_color_aug(rows, _identity_params(sigma=2.5)), rows, atol=1e-3)


def test_grayscale_uses_channel0_as_red_weights() -> None:
    x = torch.zeros(1, 3, 4, 4)
    x[:, 0] = 1.0
    out = apply_color_aug(x, _identity_params(grayscale=True))
    assert torch.allclose(out, torch.full_like(out, 0.2989), atol=1e-6)


def test_one_parameter_set_per_batch_and_output_in_range() -> None:
    g = torch.Generator().manual_seed(3)
    x = torch.rand(1, 3, 16, 16).repeat(4, 1, 1, 1)
    out = color_aug(x, g)
    assert out.shape == x.shape
    assert float(out.min()) >= 0.0 and float(out.max()) <= 1.0 + 1e-6
    assert torch.equal(out[0], out[3])  # the same draw for every sample of the batch


def test_parameter_ranges() -> None:
    g = torch.Generator().manual_seed(5)
    for _ in range(50):
        p = draw_params(g)
        assert sorted(p.order) == [0, 1, 2, 3]
        assert 0.7 <= p.brightness <= 1.3 and 0.7 <= p.contrast <= 1.3 and 0.7 <= p.saturation <= 1.3
        assert -0.1 <= p.hue <= 0.1 and 0.1 <= p.sigma <= 3.0


def test_matches_torchvision_tensor_ops() -> None:
    # Golden outputs of torchvision 0.29.1's tensor colour ops (see data/README.md).
    golden = np.load(Path(__file__).parent / "data" / "color_aug_torchvision.npz")
    for x, p, expected in zip(golden["x"], golden["params"], golden["out"], strict=True):
        params = ColorAugParams(
            order=tuple(int(i) for i in p[:4]),
            brightness=float(p[4]),
            contrast=float(p[5]),
            saturation=float(p[6]),
            hue=float(p[7]),
            grayscale=bool(p[8]),
            sigma=float(p[9]),
        )
        out = apply_color_aug(torch.from_numpy(x), params)
        assert np.allclose(out.numpy(), expected, atol=1e-6, rtol=0)
