"""Our losses equal the authors' float64 reference values (conformance/loss_values.json)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from meddisseg_core.losses import (
    adaptive_beta,
    complementary_loss,
    consistency_loss,
    dice_bce,
    dispersive_loss,
    stage1_objective,
    stage2_objective,
)

REL = 1e-6


@pytest.fixture(scope="module")
def reference(reference_dir: Path) -> tuple[dict[str, torch.Tensor], dict[str, float]]:
    conf = reference_dir / "conformance"
    arrays = np.load(conf / "loss_inputs.npz")
    inputs = {key: torch.from_numpy(arrays[key]).double() for key in arrays.files}
    values = json.loads((conf / "loss_values.json").read_text(encoding="utf-8"))
    return inputs, values


def _compute(key: str, d: dict[str, torch.Tensor]) -> float:
    reps = d["reps"]
    if key == "dispersive/hinge/reps*0.1":
        return dispersive_loss(reps * 0.1, "hinge").item()
    if key == "dispersive/infonce_l2/T=0.5/batch1":
        return dispersive_loss(reps[:1], "infonce_l2", 0.5).item()
    if key.startswith("dispersive/"):
        _, variant, temp = key.split("/")
        return dispersive_loss(reps, variant, float(temp.removeprefix("T="))).item()
    if key == "dicebce(mask,y)":
        return dice_bce(d["mask"], d["y"]).item()
    if key == "stage2/beta1":
        return adaptive_beta(d["fg"]).item()
    if key == "stage2/beta2":
        return adaptive_beta(d["bg"]).item()
    if key == "stage2/complementary":
        return complementary_loss(d["fg"], d["bg"], d["uc"]).item()
    disp = dispersive_loss(reps, "infonce_l2", 0.5)
    if key.startswith("stage2/total/w="):
        weight = float(key.removeprefix("stage2/total/w="))
        result = stage2_objective(d["mask"], d["fg"], d["bg"], d["uc"], d["y"], 1.0 - d["y"], disp, weight)
        return result.total.item()
    if key == "stage1/consistency(pm,pf)":
        return consistency_loss(d["mask"], d["fg"]).item()
    if key == "stage1/total/w=0.2":
        return stage1_objective(d["mask"], d["fg"], d["y"], disp, disp, 0.2).total.item()
    raise AssertionError(f"no computation for reference key {key!r}")


def test_every_reference_value_matches(reference) -> None:
    inputs, values = reference
    assert len(values) >= 18
    for key, expected in values.items():
        got = _compute(key, inputs)
        assert got == pytest.approx(expected, rel=REL, abs=1e-12), key


def test_float32_inputs_match_within_fp32_precision(reference) -> None:
    inputs, values = reference
    d32 = {k: v.float() for k, v in inputs.items()}
    got = stage2_objective(
        d32["mask"],
        d32["fg"],
        d32["bg"],
        d32["uc"],
        d32["y"],
        1 - d32["y"],
        dispersive_loss(d32["reps"], "infonce_l2", 0.5),
        0.2,
    ).total.item()
    assert got == pytest.approx(values["stage2/total/w=0.2"], rel=1e-5)
