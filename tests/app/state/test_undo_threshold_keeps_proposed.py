"""Undoing or redoing a re-threshold (the model's mask, nobody's work) keeps the image "proposed",
although the mask then differs from the stored proposal at its new threshold."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from meddisseg_studio.state import EditSession, Project, Proposal, ReviewStatus


def test_threshold_steps_do_not_make_an_image_edited(flat_folder: Path, tmp_path: Path) -> None:
    project = Project.open(flat_folder, state_dir=tmp_path / "state")
    prob = np.tile(np.linspace(0, 1, 32, dtype=np.float32), (24, 1))
    project.save_proposal("a.png", Proposal(prob, model_id="m", threshold=0.5))
    session = EditSession(project, "a.png", background=False)
    assert session.set_from_proposal(prob, 0.7) is not None
    assert project.entry("a.png").status is ReviewStatus.PROPOSED
    session.undo()
    assert project.entry("a.png").status is ReviewStatus.PROPOSED
    session.redo()
    assert project.entry("a.png").status is ReviewStatus.PROPOSED
    tools = [r.details.get("tool") for r in project.history("a.png") if r.action == "mask"]
    assert tools == ["threshold", "undo", "redo"]
    project.close()
