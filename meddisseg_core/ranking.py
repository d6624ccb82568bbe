"""Review-queue scores (higher = look first) and how well a score finds the bad proposals.

Two scores exist for a proposal:

* ``entropy_score``: the mean binary entropy (bits, in [0, 1]) of the probability map; every
  model has it, but a confidently wrong mask scores low.
* ``head_score``: the mean of the stage-2 uncertainty head's map, trained to mark where the mask
  is likely wrong; only files that keep the uncertainty path have it (packed since issue 20).

``ranking_quality`` answers the question the review queue asks: of the proposals that a person
will have to fix (per-image Dice below a bar), how many sit in the top share of the queue, and
what is the AUROC of the score for telling them apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np


def entropy_score(probability: np.ndarray) -> float:
    """Mean binary entropy of the probability map, in bits (0 = certain, 1 = p is 0.5 everywhere)."""
    p = np.clip(probability.astype(np.float64), 1e-7, 1.0 - 1e-7)
    return float((-(p * np.log2(p) + (1.0 - p) * np.log2(1.0 - p))).mean())


def head_score(uncertainty: np.ndarray) -> float:
    """Mean of the uncertainty head's probability map."""
    return float(np.mean(uncertainty, dtype=np.float64))


class RankingQuality(NamedTuple):
    """How a score ranks bad proposals (all as fractions, not percent)."""

    bad: int  # proposals below the Dice bar
    top_count: int  # size of the top share of the queue
    bad_in_top: int  # bad proposals inside it
    capture: float  # bad_in_top / bad (nan when there is no bad proposal)
    auroc: float  # P(score of a bad one > score of a good one); ties count 1/2; nan if one class is empty


def auroc(scores: Sequence[float], positive: Sequence[bool]) -> float:
    """Area under the ROC curve by the rank-sum (Mann-Whitney) formula, ties averaged."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(positive, dtype=bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), dtype=np.float64)
    sorted_scores = s[order]
    i = 0
    while i < len(s):  # average ranks over runs of equal scores
        j = i
        while j + 1 < len(s) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def ranking_quality(
    scores: Sequence[float], dice: Sequence[float], *, bad_below: float = 0.7, top: float = 0.2
) -> RankingQuality:
    """Share of the bad proposals (Dice < ``bad_below``) in the ``top`` share by score, and the AUROC."""
    if len(scores) != len(dice):
        raise ValueError(f"{len(scores)} scores for {len(dice)} Dice values")
    if not 0.0 < top <= 1.0:
        raise ValueError(f"top must be in (0, 1], got {top}")
    bad = np.asarray(dice, dtype=np.float64) < bad_below
    top_count = max(1, round(top * len(scores))) if len(scores) else 0
    # Highest score first; a stable sort keeps the input order among ties (deterministic).
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="mergesort")[:top_count]
    bad_in_top = int(bad[order].sum())
    n_bad = int(bad.sum())
    capture = bad_in_top / n_bad if n_bad else float("nan")
    return RankingQuality(n_bad, top_count, bad_in_top, capture, auroc(scores, bad.tolist()))
