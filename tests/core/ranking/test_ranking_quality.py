"""ranking_quality: the share of bad proposals in the top of the queue, and the AUROC, on known cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from meddisseg_core.ranking import auroc, entropy_score, head_score, ranking_quality


def test_a_perfect_score_puts_every_bad_proposal_first() -> None:
    dice = [0.9, 0.2, 0.95, 0.5, 0.88, 0.91, 0.93, 0.97, 0.85, 0.99]
    scores = [1.0 - d for d in dice]  # exactly inverse to quality
    q = ranking_quality(scores, dice, bad_below=0.7, top=0.2)
    assert (q.bad, q.top_count, q.bad_in_top) == (2, 2, 2)
    assert q.capture == 1.0 and q.auroc == 1.0


def test_an_inverted_score_finds_none_and_ties_count_half() -> None:
    dice = [0.1, 0.95, 0.9, 0.92, 0.94]
    q = ranking_quality([0.0, 1.0, 1.0, 1.0, 1.0], dice, top=0.2)
    assert q.bad_in_top == 0 and q.auroc == 0.0
    assert auroc([0.5, 0.5, 0.5], [True, False, False]) == 0.5


def test_no_bad_proposal_gives_nan_not_a_division_error() -> None:
    q = ranking_quality([0.3, 0.1], [0.9, 0.8])
    assert q.bad == 0 and math.isnan(q.capture) and math.isnan(q.auroc)
    with pytest.raises(ValueError, match="3 scores for 2"):
        ranking_quality([1, 2, 3], [0.5, 0.5])


def test_scores_of_maps() -> None:
    assert entropy_score(np.full((4, 4), 0.5)) == pytest.approx(1.0)
    assert entropy_score(np.zeros((4, 4))) < 1e-5
    assert head_score(np.array([[0.2, 0.4]])) == pytest.approx(0.3)
