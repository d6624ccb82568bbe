"""A GPU whose rows do not pass the same-masks rule (H200: masks checked on random weights only) runs fp32."""

from __future__ import annotations

import torch

from meddisseg_core.inference.capability import Capability
from meddisseg_core.inference.choice import choose_runtime

H200 = Capability("cuda", "NVIDIA H200", "NVIDIA H200")


def test_h200_keeps_fp32_until_masks_are_checked() -> None:
    choice = choose_runtime("auto", torch.device("cuda", 0), stage=2, capability=H200, env={})
    assert (choice.precision, choice.runtime) == ("fp32", "torch")
    assert "NVIDIA H200" in choice.reason
