"""Dispersive (representation-spreading) losses of Med-DisSeg (ARCHITECTURE.md §6).

The authors' variants are reproduced as coded: features flattened per sample, no
normalisation (except the cosine variant), fp32 at least, ordered off-diagonal pairs, and a
batch of one gives a constant 0. ``infonce_l2_pooled`` is ours: the authors' ``infonce_l2`` on
262,144-dimensional raw features saturates (every exp(-d/T) underflows to 0) and then carries
no gradient, so the pooled form global-average-pools and L2-normalises first, which keeps the
distances in [0, 2] and the gradient alive.
"""

from __future__ import annotations

from typing import Literal

import torch
import torch.nn.functional as F

from meddisseg_core.errors import ConfigError

DispersiveVariant = Literal["infonce_l2", "infonce_cosine", "hinge", "covariance", "infonce_l2_pooled"]
DISPERSIVE_VARIANTS: tuple[str, ...] = (
    "infonce_l2",
    "infonce_cosine",
    "hinge",
    "covariance",
    "infonce_l2_pooled",
)

_LOG_EPS = 1e-8  # added inside the log, after the mean, as the authors do
_HINGE_MARGIN = 1.0


def _promote(x: torch.Tensor) -> torch.Tensor:
    # Half/bfloat16 activations from autocast are lifted to fp32; float64 stays float64 so that
    # conformance tests can compare against the float64 reference values.
    return x if x.dtype in (torch.float32, torch.float64) else x.float()


def _off_diagonal_mean(values: torch.Tensor) -> torch.Tensor:
    n = values.shape[0]
    keep = ~torch.eye(n, dtype=torch.bool, device=values.device)
    return values[keep].mean()


def _pairwise_l2(z: torch.Tensor) -> torch.Tensor:
    return torch.cdist(z, z, p=2.0)


def _infonce_from_distance(distance: torch.Tensor, temperature: float) -> torch.Tensor:
    return torch.log(_off_diagonal_mean(torch.exp(-distance / temperature)) + _LOG_EPS)


def _covariance(z: torch.Tensor) -> torch.Tensor:
    # Sum of squared off-diagonal covariance entries without forming the D x D matrix:
    # ||C||_F^2 equals ||Zc Zc^T||_F^2 / (N-1)^2 (an N x N Gram matrix), and the diagonal of C
    # is the per-feature variance, whose squares are removed afterwards.
    n = z.shape[0]
    centred = z - z.mean(dim=0, keepdim=True)
    gram = centred @ centred.T
    total = (gram * gram).sum()
    diagonal = (centred * centred).sum(dim=0)
    return (total - (diagonal * diagonal).sum()) / float((n - 1) ** 2)


def dispersive_loss(
    features: torch.Tensor,
    variant: str = "infonce_l2",
    temperature: float = 0.5,
) -> torch.Tensor:
    """Dispersive loss of a batch of representations ``features`` (N x ...).

    Returns a 0-dim tensor; for N <= 1 it is a constant 0 without gradient (the authors' rule).
    """
    if variant not in DISPERSIVE_VARIANTS:
        raise ConfigError(f"dispersive variant {variant!r} is not one of {list(DISPERSIVE_VARIANTS)}")
    if temperature <= 0:
        raise ConfigError(f"dispersive temperature must be > 0, got {temperature!r}")
    n = features.shape[0]
    if n <= 1:
        return torch.zeros((), dtype=torch.float32, device=features.device)
    x = _promote(features)
    if variant == "infonce_l2_pooled":
        pooled = x.mean(dim=tuple(range(2, x.dim()))) if x.dim() > 2 else x
        z = F.normalize(pooled.reshape(n, -1), p=2.0, dim=1, eps=1e-12)
        return _infonce_from_distance(_pairwise_l2(z), temperature)
    z = x.reshape(n, -1)
    if variant == "infonce_l2":
        return _infonce_from_distance(_pairwise_l2(z), temperature)
    if variant == "infonce_cosine":
        unit = F.normalize(z, p=2.0, dim=1, eps=1e-12)
        return _infonce_from_distance(1.0 - unit @ unit.T, temperature)
    if variant == "hinge":
        gap = torch.clamp(_HINGE_MARGIN - _pairwise_l2(z), min=0.0)
        return _off_diagonal_mean(gap * gap)
    return _covariance(z)
