"""The Med-DisSeg networks (stage 1 and stage 2), configurable in size.

``build_network(NetworkConfig.paper(stage))`` gives the authors' networks with their exact
``state_dict`` names (see :mod:`meddisseg_core.nn.keymap`).
"""

from __future__ import annotations

from torch import nn

from meddisseg_core.nn.config import NetworkConfig
from meddisseg_core.nn.outputs import Inference, Stage1Output, Stage2Output
from meddisseg_core.nn.stage1 import MedDisSegStage1
from meddisseg_core.nn.stage2 import TRAINING_ONLY_PREFIXES, UNCERTAINTY_PREFIXES, MedDisSegStage2

MedDisSegNetwork = MedDisSegStage1 | MedDisSegStage2


def build_network(config: NetworkConfig) -> MedDisSegStage1 | MedDisSegStage2:
    """Build the stage-1 or stage-2 network described by ``config`` (PyTorch default initialisation)."""
    if config.stage == 1:
        return MedDisSegStage1(config)
    return MedDisSegStage2(config)


def is_network(obj: object) -> bool:
    """True for a network built by :func:`build_network`."""
    return isinstance(obj, (MedDisSegStage1, MedDisSegStage2)) and isinstance(obj, nn.Module)


__all__ = [
    "TRAINING_ONLY_PREFIXES",
    "UNCERTAINTY_PREFIXES",
    "Inference",
    "MedDisSegNetwork",
    "MedDisSegStage1",
    "MedDisSegStage2",
    "NetworkConfig",
    "Stage1Output",
    "Stage2Output",
    "build_network",
    "is_network",
]
