"""A stored proposal (float16 on disk) thresholds at its own threshold exactly like the float32 map."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from meddisseg_studio.state import Project, Proposal


@pytest.mark.parametrize("threshold", [0.5, 0.37, 0.9, 0.01])
def test_values_next_to_the_threshold_stay_on_their_side(
    flat_folder: Path, tmp_path: Path, threshold: float
) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    shape = project.image_shape("c.png")  # 16×16
    t = np.float32(threshold)
    steps = np.arange(-128, 128, dtype=np.float32).reshape(shape)
    probability = np.clip(t + steps * np.float32(2e-6), 0, 1).astype(np.float32)  # within float16 rounding
    probability.flat[0] = np.nextafter(t, np.float32(1))  # the closest values above and at the threshold
    probability.flat[1] = t
    expected = (probability > threshold).astype(np.uint8)
    naive = (probability.astype(np.float16).astype(np.float32) > threshold).astype(np.uint8)
    assert (naive != expected).any(), "the test values must include ones plain float16 rounding flips"

    project.save_proposal("c.png", Proposal(probability, threshold=threshold))
    stored = project.load_proposal("c.png")
    assert stored is not None
    assert np.array_equal(stored.binary_mask(), expected)
    assert np.array_equal(project.current_mask("c.png"), expected)
    assert np.abs(stored.probability - probability).max() < 1e-3  # still the same map otherwise
    project.close()
