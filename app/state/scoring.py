"""Numbers computed from masks and proposals: Dice, edited fraction, uncertainty score."""

from __future__ import annotations

import numpy as np

from meddisseg_core.ranking import entropy_score, head_score


def dice(a: np.ndarray, b: np.ndarray) -> float:
    """Dice of two binary masks; two empty masks agree perfectly (1.0)."""
    if a.shape != b.shape:
        raise ValueError(f"dice of masks of different shapes {a.shape} and {b.shape}")
    a = a.astype(bool, copy=False)
    b = b.astype(bool, copy=False)
    total = int(a.sum()) + int(b.sum())
    if total == 0:
        return 1.0
    return 2.0 * int(np.logical_and(a, b).sum()) / total


def edited_fraction(proposal_mask: np.ndarray, final_mask: np.ndarray) -> float:
    """Fraction of pixels whose label differs between the proposal and the final mask."""
    if proposal_mask.shape != final_mask.shape:
        raise ValueError(f"masks of different shapes {proposal_mask.shape} and {final_mask.shape}")
    if proposal_mask.size == 0:
        return 0.0
    changed = proposal_mask.astype(bool, copy=False) != final_mask.astype(bool, copy=False)
    return float(changed.mean())


def uncertainty_score(probability: np.ndarray, uncertainty: np.ndarray | None) -> float:
    """One number per image for ordering the review queue (higher = look first).

    The stage-2 uncertainty head's mean when the model has one (packed models keep it since
    issue 20); otherwise the mean binary entropy (in bits, so in [0, 1]) of the probability map.
    ``benchmarks/bench_uncertainty_ranking.py`` measures which finds the bad proposals better.
    """
    if uncertainty is not None:
        return head_score(uncertainty)
    return entropy_score(probability)
