"""bf16-checked: maps near 0.5 over a wide area are predicted again in fp32; the rest keep bf16's answer."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch

from meddisseg_core.inference import Predictor
from meddisseg_core.inference import predictor as predictor_module
from meddisseg_core.inference.checked import BAND, MIN_AREA, SHARE, borderline


def test_borderline_flags_wide_bands_near_one_half_only() -> None:
    crisp = torch.zeros(1, 64, 64)
    crisp[:, 16:48, 16:48] = 0.99
    plateau = crisp.clone()
    plateau[:, 8:56, 8:56] = 0.5 + BAND / 2  # a wide band of near-0.5 around the mask
    assert borderline(torch.cat([crisp, plateau])).tolist() == [False, True]
    faint = torch.full((1, 64, 64), 0.1)
    faint[:, :1, : int(SHARE * MIN_AREA) + 1] = 0.5  # an empty mask: its band counts against MIN_AREA
    assert borderline(faint).tolist() == [True]


def _run(loaded: SimpleNamespace, precision: str, image: np.ndarray) -> tuple[np.ndarray, Predictor]:
    predictor = Predictor(loaded, device="cpu", precision=precision, runtime="torch")
    return predictor.predict(image).probability, predictor


def test_flagged_maps_are_fp32_and_the_rest_bf16(
    toy_loaded: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, one_thread: None
) -> None:
    image = np.random.default_rng(0).integers(0, 256, (40, 50, 3), dtype=np.uint8)
    fp32, _ = _run(toy_loaded, "fp32", image)
    bf16, _ = _run(toy_loaded, "bf16", image)
    assert not np.array_equal(fp32, bf16)  # bf16 alone gives another map

    monkeypatch.setattr(predictor_module, "borderline", lambda p: torch.ones(p.shape[0], dtype=torch.bool))
    checked, predictor = _run(toy_loaded, "bf16-checked", image)
    np.testing.assert_array_equal(checked, fp32)
    assert predictor.rechecked == 1 and predictor.precision == "bf16-checked"

    monkeypatch.setattr(predictor_module, "borderline", lambda p: torch.zeros(p.shape[0], dtype=torch.bool))
    checked, predictor = _run(toy_loaded, "bf16-checked", image)
    np.testing.assert_array_equal(checked, bf16)
    assert predictor.rechecked == 0
