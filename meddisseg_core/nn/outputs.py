"""Return types of the networks (NamedTuples so that they unpack and index like the authors' tuples)."""

from __future__ import annotations

from typing import NamedTuple

import torch


class Stage1Output(NamedTuple):
    """Training output of the stage-1 network.

    * ``mask``: N×1×H×W foreground probability (sigmoid already applied).
    * ``encoder_features``: N×16w×H/16×W/16 layer3 features (input of the dispersive loss).
    """

    mask: torch.Tensor
    encoder_features: torch.Tensor


class Stage2Output(NamedTuple):
    """Training output of the stage-2 network; every map is an N×1×H×W probability.

    * ``mask``: main prediction; ``fg`` / ``bg`` / ``uncertainty``: auxiliary-head maps.
    * ``encoder_features``: layer3 features (input of the dispersive loss).
    """

    mask: torch.Tensor
    fg: torch.Tensor
    bg: torch.Tensor
    uncertainty: torch.Tensor
    encoder_features: torch.Tensor


class Inference(NamedTuple):
    """Result of ``network.infer``: ``mask`` N×1×H×W probability; ``uncertainty`` the same or None."""

    mask: torch.Tensor
    uncertainty: torch.Tensor | None
